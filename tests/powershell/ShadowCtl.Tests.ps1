# The ShadowCtl module as PowerShell users meet it: typed objects, the pipeline, -WhatIf and
# -Confirm, errors carrying their HRESULT. Run by tests/powershell/run.sh in real PowerShell
# against the real shadowctl.exe under Wine and the emulator, and by the Windows workflow on
# Windows PowerShell 5.1 and PowerShell 7 against a runner's real VSS: what only the
# emulator can show (a fresh machine, its leak report, an injected fault) is skipped there.

BeforeDiscovery { $script:Emulated = [bool]$env:SHADOWCTL_TEST_STATE }

BeforeAll {
  Import-Module $env:SHADOWCTL_MODULE -Force
  $script:Emulated = [bool]$env:SHADOWCTL_TEST_STATE
  $script:Zero = '{"live_references": 0, "unfreed_allocations": 0, "sets_left_unfinished": 0, "aborts_owed": 0, "results_owed": 0, "writers_left_waiting": 0}'
  # A fresh emulated machine: no shadow copies, no events.
  function Reset-Machine {
    if (-not $script:Emulated) { return }
    Remove-Item -LiteralPath $env:SHADOWCTL_TEST_STATE -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath "$env:SHADOWCTL_TEST_STATE.lock" -ErrorAction SilentlyContinue
    Remove-Item Env:SHADOWCTL_EMULATOR_SCENARIO -ErrorAction SilentlyContinue
  }
  # What the emulator's last process left owed (COM references, allocations, sets, aborts).
  function Get-EmulatorReport {
    if (-not $script:Emulated) { return $script:Zero }
    (Get-Content -Raw -LiteralPath (Join-Path $env:SHADOWCTL_TEST_WORK 'report.json')).Trim()
  }
  function Use-Scenario([string]$Json) {
    $path = Join-Path $env:SHADOWCTL_TEST_WORK 'scenario.json'
    Set-Content -LiteralPath $path -Value $Json -NoNewline
    $env:SHADOWCTL_EMULATOR_SCENARIO = 'Z:' + ($path -replace '/', '\')
  }
}

Describe 'The module' {
  It 'exports one function per command, each with help and an example' {
    $commands = Get-Command -Module ShadowCtl
    $commands.Count | Should -Be 18
    foreach ($c in $commands) {
      $help = Get-Help $c.Name -Full
      $help.Synopsis | Should -Not -BeNullOrEmpty -Because $c.Name
      @($help.Examples.Example).Count | Should -BeGreaterThan 0 -Because $c.Name
      (Get-Verb -Verb $c.Verb) | Should -Not -BeNullOrEmpty -Because "$($c.Verb) must be an approved verb"
    }
  }

  It 'explains its remoting parameters in help, as comment-based help cannot for dynamic parameters' {
    $about = Get-Help about_ShadowCtl_Remoting | Out-String
    foreach ($p in 'HostName', 'ComputerName', 'Session', 'Credential', 'UserName', 'KeyFilePath', 'Port', 'Options') {
      $about | Should -Match "-$p\b" -Because "about_ShadowCtl_Remoting names -$p"
      (Get-Command Get-ShadowCopy).Parameters.Keys | Should -Contain $p
    }
  }

  It 'uses no syntax Windows PowerShell 5.1 lacks' {
    $folder = Split-Path -Parent $env:SHADOWCTL_MODULE
    foreach ($file in Get-ChildItem -LiteralPath $folder -Filter '*.ps*1') {
      $tokens = $null; $errors = $null
      $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
      $errors | Should -BeNullOrEmpty
      $sevenOnly = $ast.FindAll({
          param($n)
          $type = $n.GetType().Name
          $type -eq 'TernaryExpressionAst' -or $type -eq 'PipelineChainAst' -or
          ($type -eq 'BinaryExpressionAst' -and $n.Operator -eq 'QuestionQuestion') -or
          ($type -eq 'AssignmentStatementAst' -and $n.Operator -eq 'QuestionQuestionEquals') -or
          (($type -eq 'MemberExpressionAst' -or $type -eq 'InvokeMemberExpressionAst') -and $n.NullConditional)
        }, $true)
      @($sevenOnly).Count | Should -Be 0 -Because "$($file.Name): $(@($sevenOnly) -join '; ')"
    }
  }

  It 'finds the exe beside itself, else through SHADOWCTL_EXE' {
    $module = Get-Module ShadowCtl
    $beside = Join-Path $module.ModuleBase 'shadowctl.exe'
    $expected = $env:SHADOWCTL_EXE
    if (Test-Path -LiteralPath $beside) { $expected = $beside }
    & $module { Get-ShadowCtlPath } | Should -Be $expected
  }
}

Describe 'Shadow copies' {
  BeforeEach { Reset-Machine }

  It 'makes and lists typed shadow copies with Win32_ShadowCopy''s property names' {
    $made = New-ShadowCopy -Volume C: -Confirm:$false
    $made.PSObject.TypeNames[0] | Should -Be 'ShadowCtl.ShadowCopy'
    $made.ID | Should -BeOfType [guid]
    $made.SetID | Should -BeOfType [guid]
    $made.InstallDate | Should -BeOfType [datetime]
    $made.DeviceObject | Should -BeLike '\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy*'
    $made.VolumeName | Should -BeLike '\\?\Volume{*}\'
    $made.MountPoint | Should -Be 'C:\'
    $made.Persistent | Should -BeTrue
    $made.Created | Should -Be $made.InstallDate      # the JSON's name, as an alias
    $made.DevicePath | Should -Be $made.DeviceObject
    $listed = @(Get-ShadowCopy -Volume C: | Where-Object ID -eq $made.ID)
    $listed.Count | Should -Be 1
    (Get-ShadowCopy -ID $made.ID).SetID | Should -Be $made.SetID
    Get-EmulatorReport | Should -Be $script:Zero
    Remove-ShadowCopy -ID $made.ID -Confirm:$false
  }

  It 'deletes nothing with -WhatIf, and what the pipeline names with -Confirm:$false' {
    $first = New-ShadowCopy -Volume C: -Confirm:$false
    $second = New-ShadowCopy -Volume C: -Confirm:$false
    $whatIf = Get-ShadowCopy -Volume C: | Where-Object InstallDate -lt (Get-Date).AddDays(1) |
      Remove-ShadowCopy -WhatIf
    $whatIf | Should -BeNullOrEmpty
    $ours = { @(Get-ShadowCopy | Where-Object { $_.ID -eq $first.ID -or $_.ID -eq $second.ID }) }
    (& $ours).Count | Should -Be 2
    Get-ShadowCopy | Where-Object ID -eq $first.ID | Remove-ShadowCopy -Confirm:$false
    $left = & $ours
    $left.Count | Should -Be 1
    $left[0].ID | Should -Be $second.ID
    Remove-ShadowCopy -ID $second.ID -Confirm:$false
  }

  It 'deletes only the oldest of a volume with -Volume -Oldest' -Skip:(-not $script:Emulated) {
    $old = New-ShadowCopy -Volume C: -Confirm:$false
    $new = New-ShadowCopy -Volume C: -Confirm:$false
    Remove-ShadowCopy -Volume C: -Oldest -Confirm:$false
    (Get-ShadowCopy).ID | Should -Be $new.ID
  }

  It 'keeps a set only while the script block runs' {
    $seen = Invoke-ShadowCopy -Volume C: -ScriptBlock {
      param($copies)
      $first = $_.ID
      [pscustomobject]@{ First = $first; All = @($copies).Count; Listed = @(Get-ShadowCopy | Where-Object ID -eq $first).Count }
    }
    $seen.First | Should -BeOfType [guid]
    $seen.All | Should -Be 1
    $seen.Listed | Should -BeGreaterThan 0
    @(Get-ShadowCopy | Where-Object ID -eq $seen.First).Count | Should -Be 0
  }
}

Describe 'Errors' {
  BeforeEach { Reset-Machine }

  It 'carry the HRESULT, its name, the remedy and a category from the exit class' {
    $caught = $null
    try { New-ShadowCopy -Volume Q: -Confirm:$false -ErrorAction Stop } catch { $caught = $_ }
    $caught | Should -Not -BeNullOrEmpty
    $caught.Exception.HResult | Should -Be -2147212536    # 0x80042308
    $caught.Exception.Data['Name'] | Should -Be 'VSS_E_OBJECT_NOT_FOUND'
    $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    $caught.FullyQualifiedErrorId | Should -BeLike 'ShadowCtl.VSS_E_OBJECT_NOT_FOUND*'
    $caught.ErrorDetails.RecommendedAction | Should -BeLike '*list volumes*'
  }

  It 'are non-terminating for one id that is not there, and set $?' {
    $missing = [guid]'00000000-0000-4000-8000-00000000beef'
    $out = Get-ShadowCopy -ID $missing -ErrorAction SilentlyContinue -ErrorVariable problems
    $? | Should -BeFalse
    $out | Should -BeNullOrEmpty
    $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
  }

  It 'bring the events the failure wrote' -Skip:(-not $script:Emulated) {
    Use-Scenario '{"async": [{"method": "DoSnapshotSet", "behaviour": "fail", "hresult": "VSS_E_PROVIDER_VETO"}]}'
    { New-ShadowCopy -Volume C: -Confirm:$false -ErrorAction Stop } | Should -Throw -ExpectedMessage '*VSS_E_PROVIDER_VETO*'
    Remove-Item Env:SHADOWCTL_EMULATOR_SCENARIO
    $events = @(Get-ShadowCopyEvent -Since 1h)
    $events.Count | Should -Be 1
    $events[0].Id | Should -Be 12293
    $events[0].ProviderName | Should -Be 'VSS'
    $events[0].TimeCreated | Should -BeOfType [datetime]
    $events[0].Errors | Should -Be @('VSS_E_PROVIDER_VETO')
  }
}

Describe 'The machine' {
  BeforeAll { Reset-Machine }

  It 'lists writers, providers, volumes and shadow storage as typed objects' {
    $writers = @(Get-ShadowCopyWriter)
    $writers.Count | Should -BeGreaterThan 0
    $writers[0].PSObject.TypeNames[0] | Should -Be 'ShadowCtl.Writer'
    $writers[0].WriterID | Should -BeOfType [guid]
    @(Get-ShadowCopyWriter -Name 'System*').Name | Should -Be 'System Writer'
    (Get-ShadowCopyProvider).Name | Should -Be 'Microsoft Software Shadow Copy provider 1.0'
    $volume = Get-ShadowCopyVolume | Where-Object { $_.MountPoints -contains 'C:\' }
    $volume.Supported | Should -BeTrue
    $made = New-ShadowCopy -Volume C: -Confirm:$false
    $storage = Get-ShadowStorage | Where-Object Volume -eq 'C:\'
    $storage.UsedSpace | Should -BeGreaterThan 0
    $storage.MaxSpace | Should -BeGreaterThan $storage.UsedSpace
    Remove-ShadowCopy -ID $made.ID -Confirm:$false
  }

  It 'is checked by Test-ShadowCopy, deeply too' {
    Test-ShadowCopy -Quiet | Should -BeTrue
    $deep = Test-ShadowCopy -Deep -Volume C:
    $deep.Ok | Should -BeTrue -Because ($deep.Checks | Where-Object Status -eq 'fail' | Out-String)
    ($deep.Checks | Where-Object Name -eq 'trial_copy').Status | Should -Be 'ok'
    ($deep.Checks | Where-Object Name -eq 'events').Status | Should -BeIn @('ok', 'warn')
  }
}

Describe 'Files, retention and storage' -Skip:(-not $script:Emulated) {
  BeforeAll {
    Reset-Machine
    # D: is the emulated machine's small volume, whose files each copy freezes.
    $script:Folder = Join-Path $env:WORK_DIR 'volume-d/pester'
    New-Item -ItemType Directory -Force -Path $script:Folder | Out-Null
    Set-Content -LiteralPath (Join-Path $script:Folder 'a.txt') -Value 'one' -NoNewline
  }
  AfterAll {
    & $env:SHADOWCTL_EXE -q delete --all --yes | Out-Null
    Remove-Item -LiteralPath $script:Folder, (Join-Path $env:WORK_DIR 'volume-d/pester-restored') -Recurse -Force -ErrorAction SilentlyContinue
  }

  It 'finds a file''s versions, gets one back, and says what changed' {
    $copy = New-ShadowCopy -Volume D: -Confirm:$false
    Set-Content -LiteralPath (Join-Path $script:Folder 'a.txt') -Value 'two, longer' -NoNewline
    $versions = @(Get-ShadowCopyVersion -Path 'D:\pester\a.txt')
    $versions.Count | Should -Be 1
    $versions[0].ShadowID | Should -Be $copy.ID
    $versions[0].Differs | Should -BeTrue
    $versions[0].Length | Should -Be 3
    $restored = @(Restore-ShadowCopyItem -Path 'D:\pester\a.txt' -Destination 'D:\pester-restored' -Confirm:$false)
    $restored.Count | Should -BeGreaterThan 0
    Get-Content -Raw -LiteralPath (Join-Path $env:WORK_DIR 'volume-d/pester-restored/a.txt') | Should -Be 'one'
    $changes = @(Compare-ShadowCopy -Path 'D:\pester')
    ($changes | Where-Object Path -like '*a.txt').Change | Should -Be 'changed'
    Restore-ShadowCopyItem -Path 'D:\pester\a.txt' -Destination 'D:\pester-whatif' -WhatIf
    Test-Path -LiteralPath (Join-Path $env:WORK_DIR 'volume-d/pester-whatif') | Should -BeFalse
  }

  It 'exposes a copy at a drive letter and ends it' {
    $copy = New-ShadowCopy -Volume D: -Confirm:$false
    $exposed = $copy | Mount-ShadowCopy -Path X: -Confirm:$false
    $exposed.ExposedName | Should -Be 'X:'
    Dismount-ShadowCopy -Path X: -Confirm:$false
    (Get-ShadowCopy -ID $copy.ID).ExposedName | Should -BeNullOrEmpty
  }

  It 'thins copies by a retention policy, asking nothing with -Confirm:$false' {
    & $env:SHADOWCTL_EXE -q delete --all --yes | Out-Null
    $old = New-ShadowCopy -Volume D: -Confirm:$false
    $new = New-ShadowCopy -Volume D: -Confirm:$false
    Remove-ShadowCopy -Volume D: -KeepLast 1 -WhatIf
    { Remove-ShadowCopy -Volume D: -WhatIf } | Should -Not -Throw -Because 'a volume alone is its own parameter set'
    @(Get-ShadowCopy -Volume D:).Count | Should -Be 2
    Remove-ShadowCopy -Volume D: -KeepLast 1 -Confirm:$false
    (Get-ShadowCopy -Volume D:).ID | Should -Be $new.ID
  }

  It 'adds, resizes and removes shadow storage, -WhatIf changing nothing' {
    $before = (Get-ShadowStorage -Volume D:).MaxSpace
    Set-ShadowStorage -Volume D: -MaxSize 2GB -WhatIf
    (Get-ShadowStorage -Volume D:).MaxSpace | Should -Be $before
    (Set-ShadowStorage -Volume D: -MaxSize 2GB -Confirm:$false).MaxSpace | Should -Be (2GB)
    Remove-ShadowStorage -Volume D: -Confirm:$false
    @(Get-ShadowStorage -Volume D:).Count | Should -Be 0
    (Add-ShadowStorage -Volume D: -DiffVolume D: -MaxSize 1GB -Confirm:$false).MaxSpace | Should -Be (1GB)
  }
}

Describe 'Tab completion' {
  It 'completes commands, option values and the machine''s volumes through TabExpansion2' {
    $exe = & (Get-Module ShadowCtl) { Get-ShadowCtlPath }
    Set-Alias -Name shadowctl -Value $exe -Scope Global
    & $exe completion powershell | Out-String | Invoke-Expression
    $complete = {
      param([string]$Line)
      @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches |
          ForEach-Object CompletionText)
    }
    & $complete 'shadowctl cre' | Should -Be @('create')
    & $complete 'shadowctl create --context app' | Should -Be @('app-rollback')
    & $complete 'shadowctl create --backup-type ' | Should -Contain 'differential'
    & $complete 'shadowctl create ' | Should -Contain 'C:'
    & $complete 'shadowctl exec C: -- cm' | Should -Not -Contain 'create'
  }
}
