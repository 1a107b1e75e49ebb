# The ShadowCtl module across machines through PowerShell remoting over SSH, run for real by
# tests/powershell/remoting/run.sh: three sshd servers on loopback, each its own emulated
# machine running the real shadowctl.exe under Wine, the third with VSS broken. What an admin
# with a fleet does: Invoke-Command with the module installed on each server, and the
# cmdlets' own -HostName and -Session, objects made here with PSComputerName.

BeforeAll {
  Import-Module $env:SHADOWCTL_MODULE -Force
  $script:Hosts = $env:SHADOWCTL_TEST_HOSTS -split ','
  $script:Broken = $env:SHADOWCTL_TEST_BROKEN
  $script:Healthy = @($script:Hosts | Where-Object { $_ -ne $script:Broken })
  # How to reach them: a key made for the run, host keys that are new each run.
  $script:Ssh = @{
    UserName = $env:SHADOWCTL_TEST_USER; Port = [int]$env:SHADOWCTL_TEST_PORT
    KeyFilePath = $env:SHADOWCTL_TEST_KEY
    Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
  }
  $script:Sessions = @(New-PSSession -HostName $script:Hosts @script:Ssh)
  $script:HealthySessions = @($script:Sessions | Where-Object { $_.ComputerName -ne $script:Broken })
  # Every machine fresh: no shadow copies.
  function Reset-Machines {
    foreach ($h in $script:Hosts) {
      Remove-Item -Path (Join-Path $env:SHADOWCTL_TEST_WORK "$h/state.json*") -ErrorAction SilentlyContinue
    }
  }
  # What a run writes, as a caller meets it: its objects and, apart, its errors (read from
  # the error stream, where each is written once).
  function Split-Output([scriptblock]$Run) {
    $all = @(& $Run 2>&1)
    [pscustomobject]@{
      Objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
      Errors  = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }
  }
  function Get-Report([string]$HostName) {
    (Get-Content -Raw -LiteralPath (Join-Path $env:SHADOWCTL_TEST_WORK "$HostName/report.json")) | ConvertFrom-Json
  }
}

AfterAll { if ($script:Sessions) { Remove-PSSession -Session $script:Sessions } }

Describe 'Invoke-Command across the fleet, the module installed on each server' {
  BeforeEach { Reset-Machines }

  It 'gathers one table of every server''s shadow copies, with PSComputerName, and names the broken one' {
    $null = Invoke-Command -Session $script:HealthySessions { New-ShadowCopy -Volume C: -Confirm:$false }
    $run = Split-Output { Invoke-Command -HostName $script:Hosts @script:Ssh { Get-ShadowCopy } }
    $rows = $run.Objects; $failed = $run.Errors
    ($rows | Group-Object PSComputerName | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ' ' |
      Should -Be (($script:Healthy | Sort-Object | ForEach-Object { "$_=1" }) -join ' ')
    # Loaded as objects on this side: typed values, not text.
    $rows[0].ID | Should -BeOfType [guid]
    $rows[0].InstallDate | Should -BeOfType [datetime]
    $rows[0].DeviceObject | Should -BeLike '\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy*'
    @($failed).Count | Should -Be 1
    $failed[0].OriginInfo.PSComputerName | Should -Be $script:Broken
    "$failed" | Should -BeLike '*VSS_E_UNEXPECTED*'
  }

  It 'makes a nightly shadow copy and prunes to the last two on every server, two at a time' {
    $nightly = {
      $null = New-ShadowCopy -Volume C: -Confirm:$false
      Remove-ShadowCopy -Volume C: -KeepLast 2 -Confirm:$false
      Get-ShadowCopy -Volume C:
    }
    foreach ($night in 1..3) {
      $run = Split-Output { Invoke-Command -Session $script:Sessions -ThrottleLimit 2 -ScriptBlock $nightly }
      $kept = $run.Objects; $failed = $run.Errors
      # The broken server fails each night and is reported by name; the others go on.
      @($failed | ForEach-Object { $_.OriginInfo.PSComputerName } | Sort-Object -Unique) | Should -Be @($script:Broken)
      foreach ($h in $script:Healthy) {
        @($kept | Where-Object PSComputerName -eq $h).Count | Should -Be ([Math]::Min($night, 2)) -Because "night $night on $h"
      }
    }
    foreach ($h in $script:Healthy) {
      $report = Get-Report $h
      @($report.PSObject.Properties | Where-Object { $_.Value -ne 0 }).Count | Should -Be 0 -Because "the emulator's report on $h"
    }
  }
}

Describe 'The cmdlets'' own -HostName and -Session' {
  BeforeEach { Reset-Machines }

  It 'runs on each machine and makes the objects here, each with PSComputerName; the broken machine is an error naming it' {
    $null = New-ShadowCopy -Volume C: -Session $script:HealthySessions -Confirm:$false
    $run = Split-Output { Get-ShadowCopy -HostName $script:Hosts @script:Ssh }
    $rows = $run.Objects; $failed = $run.Errors
    $rows.Count | Should -Be $script:Healthy.Count
    ($rows.PSComputerName | Sort-Object) -join ' ' | Should -Be (($script:Healthy | Sort-Object) -join ' ')
    # Made here by the module, not deserialized: the module's own type, and its formatting,
    # whose table shows the machine as for what Invoke-Command brings back.
    $rows[0].PSObject.TypeNames[0] | Should -Be 'ShadowCtl.ShadowCopy'
    $table = ($rows | Format-Table | Out-String -Width 250) -split "`n" | Where-Object { $_.Trim() }
    $table[0] | Should -Match '^InstallDate.*PSComputerName\s*$'
    @($table | Where-Object { $_ -match "$([regex]::Escape($script:Healthy[0]))\s*$" }).Count | Should -Be 1
    @($failed).Count | Should -Be 1
    $failed[0].TargetObject | Should -Be $script:Broken
    $failed[0].FullyQualifiedErrorId | Should -BeLike 'ShadowCtl.VSS_E_UNEXPECTED*'
    $failed[0].ErrorDetails.Message | Should -BeLike "${script:Broken}: VSS_E_UNEXPECTED (0x80042302)*"
    $failed[0].Exception.HResult | Should -Be ([int]0x80042302)
  }

  It 'deletes piped shadow copies on the machine each came from' {
    $made = @(New-ShadowCopy -Volume C: -Session $script:HealthySessions -Confirm:$false)
    $made.Count | Should -Be $script:Healthy.Count
    $run = Split-Output { Get-ShadowCopy -Session $script:HealthySessions | Remove-ShadowCopy -Session $script:HealthySessions -Confirm:$false }
    @($run.Errors).Count | Should -Be 0 -Because ($run.Errors | Out-String)
    @(Get-ShadowCopy -Session $script:HealthySessions).Count | Should -Be 0
  }

  It 'refuses an object piped from a machine it was not given, naming that machine' {
    $run = Split-Output { [pscustomobject]@{ ID = [guid]::NewGuid(); PSComputerName = 'elsewhere' } |
        Remove-ShadowCopy -Session $script:HealthySessions -Confirm:$false }
    @($run.Errors).Count | Should -Be 1
    $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ShadowCtl.PipedFromAnotherMachine*'
    "$($run.Errors[0])" | Should -BeLike '*came from elsewhere*'
  }

  It 'names the machine in what it confirms' {
    $verbose = @(New-ShadowCopy -Volume C: -Session $script:HealthySessions[0] -Confirm:$false -Verbose 4>&1 |
        Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    $verbose | Should -Contain ('Performing the operation "Create a shadow copy set" on target "C: on {0}".' -f $script:HealthySessions[0].ComputerName)
  }

  It 'goes on past a machine that cannot be reached, naming it' {
    $run = Split-Output { Get-ShadowCopyProvider -HostName $script:Healthy[0], '127.0.0.5' @script:Ssh }
    $rows = $run.Objects; $failed = $run.Errors
    @($rows.PSComputerName | Sort-Object -Unique) | Should -Be @($script:Healthy[0])
    @($failed).Count | Should -Be 1 -Because ($failed | Out-String)
    "$($failed[0].TargetObject) $($failed[0])" | Should -BeLike '*127.0.0.5*'
  }

  It 'checks every machine: one result each, the broken one not ok' {
    $results = (Split-Output { Test-ShadowCopy -Session $script:Sessions }).Objects
    ($results | Sort-Object PSComputerName | ForEach-Object { "$($_.PSComputerName)=$($_.Ok)" }) -join ' ' |
      Should -Be (($script:Hosts | Sort-Object | ForEach-Object { "$_=$($_ -ne $script:Broken)" }) -join ' ')
  }

  It 'refuses remoting parameters that do not go together, saying why' {
    { Get-ShadowCopy -HostName $script:Hosts[0] -Session $script:Sessions[0] } |
      Should -Throw -ErrorId 'ShadowCtl.RemotingTwoWays,Get-ShadowCopy'
    $credential = New-Object pscredential ('admin', (ConvertTo-SecureString 'x' -AsPlainText -Force))
    { Get-ShadowCopy -HostName $script:Hosts[0] -Credential $credential } |
      Should -Throw -ErrorId 'ShadowCtl.CredentialOverSsh,Get-ShadowCopy'
    { Get-ShadowCopy -Port 22 } | Should -Throw -ErrorId 'ShadowCtl.RemotingWithoutMachine,Get-ShadowCopy'
  }
}
