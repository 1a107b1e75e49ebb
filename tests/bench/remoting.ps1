# Part 7 of tests/bench/run.sh: what PowerShell remoting over SSH adds to a cmdlet, against
# the three loopback servers of tests/powershell/remoting/run.sh (which runs this script in
# place of its Pester suite, with their addresses, port and key in the environment). Medians
# of SHADOWCTL_BENCH_RUNS runs, in milliseconds, as JSON to SHADOWCTL_BENCH_OUT. Figures
# only: nothing passes or fails on time.
$ErrorActionPreference = 'Stop'
Import-Module $env:SHADOWCTL_MODULE
$runs = [int]$env:SHADOWCTL_BENCH_RUNS
$healthy = @($env:SHADOWCTL_TEST_HOSTS -split ',' | Where-Object { $_ -ne $env:SHADOWCTL_TEST_BROKEN })
$ssh = @{
  UserName = $env:SHADOWCTL_TEST_USER; Port = [int]$env:SHADOWCTL_TEST_PORT; KeyFilePath = $env:SHADOWCTL_TEST_KEY
  Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
}
$sessions = @(New-PSSession -HostName $healthy @ssh)
$one = $sessions[0]

function Get-Median([double[]]$Values) {
  $sorted = @($Values | Sort-Object)
  $mid = [int][Math]::Floor($sorted.Count / 2)
  if ($sorted.Count % 2) { return $sorted[$mid] }
  return ($sorted[$mid - 1] + $sorted[$mid]) / 2
}
function Measure-Case([scriptblock]$Case) {
  $null = & $Case  # warm-up
  Get-Median @(foreach ($i in 1..$runs) { (Measure-Command $Case).TotalMilliseconds })
}

$cases = [ordered]@{}
# The same cmdlet timed on the server itself: the exe's run under Wine and the module's work.
$onServer = @(foreach ($i in 0..$runs) {
    Invoke-Command -Session $one { (Measure-Command { Get-ShadowCopyProvider }).TotalMilliseconds }
  })
$cases['on_the_server'] = Get-Median ($onServer | Select-Object -Skip 1)  # the first: a warm-up
$cases['session_one_server'] = Measure-Case { Get-ShadowCopyProvider -Session $one }
$cases['session_two_servers'] = Measure-Case { Get-ShadowCopyProvider -Session $sessions }
$cases['invoke_command_two_servers'] = Measure-Case { Invoke-Command -Session $sessions { Get-ShadowCopyProvider } }
$cases['hostname_one_server_connecting'] = Measure-Case { Get-ShadowCopyProvider -HostName $healthy[0] @ssh }
Remove-PSSession $sessions

$result = [ordered]@{ benchmark = 'remoting_over_ssh'; runs = $runs; median_ms = $cases }
$result | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $env:SHADOWCTL_BENCH_OUT
foreach ($k in $cases.Keys) { '{0,-32} {1,6:N0} ms' -f $k, $cases[$k] }
