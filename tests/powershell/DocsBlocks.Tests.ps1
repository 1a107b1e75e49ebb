# Every ```powershell block of README.md and docs/ is run, not only parsed: in real
# PowerShell, with the ShadowCtl module imported, `shadowctl` the real exe under Wine (a native command, as shadowctl.exe
# is to PowerShell on Windows) against a fresh emulated machine whose C: and D: are
# PowerShell drives too, and $ErrorActionPreference = 'Stop', so any error the block does
# not handle itself fails it; so does any shadowctl command line of it that shadowctl
# refuses (exit 2): whatever the machine, that example is wrong.
# A comment line right before a block's fence may say what it needs (several may be given):
#   <!-- powershell-test: file C:\Users\ann\report.docx -->    a file on that path (C: or D:)
#   <!-- powershell-test: copy C: -->                          a shadow copy of the volume first
#   <!-- powershell-test: run schedule remove nightly -->      a shadowctl command first, its
#                                                               exit code not looked at
#   <!-- powershell-test: skip REASON -->                       parsed but not run here, and
#                                                               why (said in the test's output)

BeforeDiscovery {
  $root = Split-Path -Parent (Split-Path -Parent $env:SHADOWCTL_MODULE)
  $root = Split-Path -Parent $root
  $files = @(Get-Item (Join-Path $root 'README.md')) +
    @(Get-ChildItem (Join-Path $root 'docs') -Recurse -Filter '*.md' | Sort-Object FullName)
  $script:Blocks = foreach ($file in $files) {
    $lines = Get-Content -LiteralPath $file.FullName
    $needs = @()
    for ($i = 0; $i -lt $lines.Count; $i++) {
      if ($lines[$i] -match '^\s*<!-- powershell-test: (.*) -->\s*$') { $needs += $Matches[1]; continue }
      if ($lines[$i] -match '^\s*```powershell\s*$') {
        $start = $i + 1
        $indent = ($lines[$i] -replace '```powershell.*$', '').Length
        $body = New-Object System.Collections.Generic.List[string]
        for ($i = $start; $i -lt $lines.Count -and $lines[$i] -notmatch '^\s*```\s*$'; $i++) {
          $line = $lines[$i]
          if ($line.Length -ge $indent) { $line = $line.Substring($indent) }
          $body.Add($line)
        }
        @{ Where = ('{0}:{1}' -f $file.FullName.Substring($root.Length + 1), $start); Code = ($body -join "`n"); Needs = $needs }
        $needs = @()
        continue
      }
      if ($lines[$i].Trim() -ne '') { $needs = @() }
    }
  }
}

BeforeAll {
  # The emulated machine's drives as folders of the prefix: C: is drive_c, D: the volume the
  # Wine cases share.
  function Get-WorldPath([string]$WindowsPath) {
    $drive = $WindowsPath.Substring(0, 1).ToUpperInvariant()
    $rest = $WindowsPath.Substring(3) -replace '\\', '/'
    $base = Join-Path $env:EMULATOR_PREFIX 'drive_c'
    if ($drive -eq 'D') { $base = Join-Path $env:WORK_DIR 'volume-d' }
    return (Join-Path $base $rest)
  }
}

# Against the emulator only: the examples make, expose and delete shadow copies.
Describe 'The PowerShell examples of the docs' -Skip:(-not $env:SHADOWCTL_TEST_STATE) {
  # What an example made goes, with the frozen trees of D: that the Wine cases look for.
  # What an example made goes: its copies (with the frozen trees of D: that the Wine cases
  # look for), and what it wrote at the top of C: and D:, which the Wine cases share.
  BeforeEach {
    $drives = @((Join-Path $env:EMULATOR_PREFIX 'drive_c'), (Join-Path $env:WORK_DIR 'volume-d'))
    $before = @($drives | ForEach-Object { Get-ChildItem -LiteralPath $_ -Force } | ForEach-Object FullName)
  }
  AfterEach {
    & $env:SHADOWCTL_EXE -q delete --all --yes | Out-Null
    $drives | ForEach-Object { Get-ChildItem -LiteralPath $_ -Force } |
      Where-Object { $before -notcontains $_.FullName } |
      ForEach-Object { Remove-Item -LiteralPath $_.FullName -Recurse -Force }
  }

  It 'runs <Where>' -ForEach $script:Blocks {
    # Every block parses, the skipped ones too.
    $tokens = $null; $errors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
    $errors | Should -BeNullOrEmpty
    $skip = @($Needs | Where-Object { $_ -like 'skip *' })
    if ($skip.Count -gt 0) { Set-ItResult -Skipped -Because $skip[0].Substring(5); return }
    Remove-Item -LiteralPath $env:SHADOWCTL_TEST_STATE -ErrorAction SilentlyContinue
    Remove-Item Env:SHADOWCTL_EMULATOR_SCENARIO -ErrorAction SilentlyContinue
    foreach ($need in $Needs) {
      if ($need -like 'file *') {
        $path = Get-WorldPath $need.Substring(5)
        New-Item -ItemType Directory -Force -Path (Split-Path -Parent $path) | Out-Null
        Set-Content -LiteralPath $path -Value 'the text of a file the example works on'
      } elseif ($need -like 'run *') {
        & $env:SHADOWCTL_EXE -q @($need.Substring(4) -split ' ') 2>&1 | Out-Null
      } elseif ($need -like 'copy *') {
        & $env:SHADOWCTL_EXE -q create $need.Substring(5) | Out-Null
        $LASTEXITCODE | Should -Be 0 -Because "the example needs a shadow copy of $($need.Substring(5))"
      } else {
        throw "${Where}: unknown powershell-test need '$need'"
      }
    }
    $runs = Join-Path $env:SHADOWCTL_TEST_WORK 'runs.log'
    Remove-Item -LiteralPath $runs -ErrorAction SilentlyContinue
    $code = $Code
    $run = {
      $ErrorActionPreference = 'Stop'
      Import-Module $env:SHADOWCTL_MODULE -Force   # as `Import-Module ShadowCtl` would
      Set-Alias -Name shadowctl -Value $env:SHADOWCTL_EXE
      $null = New-PSDrive -Name C -PSProvider FileSystem -Root (Join-Path $env:EMULATOR_PREFIX 'drive_c')
      $null = New-PSDrive -Name D -PSProvider FileSystem -Root (Join-Path $env:WORK_DIR 'volume-d')
      . ([scriptblock]::Create($code))
    }
    $output = & $run 6>&1 5>&1 4>&1 3>&1 | Out-String
    Write-Host $output
    $refused = @(Get-Content -LiteralPath $runs -ErrorAction SilentlyContinue | Where-Object { $_ -like '2 *' })
    $refused | Should -BeNullOrEmpty -Because 'shadowctl refused a command line of the example'
  }
}
