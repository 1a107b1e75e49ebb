# ShadowCtl: each cmdlet is one run of shadowctl.exe with --json, its document turned into
# typed objects or an ErrorRecord. No behaviour of its own: the exe is the one
# implementation. Windows PowerShell 5.1 syntax only (no ternary, ??, && or ||), so that
# both PowerShells load it; tests/powershell/Syntax.ps1 checks the files for 7-only syntax.
Set-StrictMode -Version 3.0

# The error category of each exit class (docs/exit-codes.md).
$script:CategoryOfExitClass = @{
  usage            = 'InvalidArgument'
  access_denied    = 'PermissionDenied'
  vss_unavailable  = 'NotInstalled'
  writer_failure   = 'InvalidResult'
  timeout          = 'OperationTimeout'
  not_found        = 'ObjectNotFound'
  busy             = 'ResourceBusy'
  limit_reached    = 'LimitsExceeded'
  interrupted      = 'OperationStopped'
  command_not_run  = 'InvalidOperation'
  failure          = 'NotSpecified'
}

# Finds shadowctl.exe and runs it with --json ARGUMENTS where it is invoked: here, or sent
# whole to a remote session (so it uses nothing else of the module's). The exe is the one
# beside the module (ModuleRoot here; remotely, the ShadowCtl module installed there), else
# $env:SHADOWCTL_EXE, else shadowctl on PATH. Gives the text and exit code, or with
# -PathOnly the path ($null when there is none).
$script:RunShadowCtl = {
  param([string[]]$ArgumentList, [string]$ModuleRoot, [switch]$PathOnly)
  if (-not $ModuleRoot) {
    $installed = Get-Module -ListAvailable -Name ShadowCtl | Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { $ModuleRoot = $installed.ModuleBase }
  }
  $exe = $null
  if ($ModuleRoot -and (Test-Path -LiteralPath (Join-Path $ModuleRoot 'shadowctl.exe') -PathType Leaf)) {
    $exe = Join-Path $ModuleRoot 'shadowctl.exe'
  } elseif ($env:SHADOWCTL_EXE) {
    $exe = $env:SHADOWCTL_EXE
  } else {
    $found = Get-Command -Name shadowctl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($found) { $exe = $found.Path }
  }
  if ($PathOnly) { return $exe }
  if (-not $exe) { return [pscustomobject]@{ Found = $false; Text = ''; ExitCode = $null } }
  $lines = & $exe --json @ArgumentList 2>$null
  [pscustomobject]@{ Found = $true; Text = ($lines | Out-String); ExitCode = $LASTEXITCODE }
}

function Get-ShadowCtlPath {
  $exe = & $script:RunShadowCtl -ModuleRoot $PSScriptRoot -PathOnly
  if (-not $exe) {
    throw (New-Object System.IO.FileNotFoundException (
        'shadowctl.exe was not found beside the ShadowCtl module, in $env:SHADOWCTL_EXE or on PATH'))
  }
  return $exe
}

# The remote session the module's runs go to while a cmdlet works on another machine
# (Invoke-ShadowCtlOnTarget sets it); $null: this machine.
$script:TargetSession = $null

# Runs shadowctl.exe --json ARGUMENTS, here or in the target session; the one document it
# writes, on success or failure.
function Invoke-ShadowCtlJson {
  param([Parameter(Mandatory = $true)][string[]]$ArgumentList)
  Write-Verbose ("shadowctl --json " + ($ArgumentList -join ' '))
  $where = 'this machine'
  if ($script:TargetSession) {
    $where = $script:TargetSession.ComputerName
    $run = Invoke-Command -Session $script:TargetSession -ScriptBlock $script:RunShadowCtl -ArgumentList $ArgumentList, ''
  } else {
    $run = & $script:RunShadowCtl -ArgumentList $ArgumentList -ModuleRoot $PSScriptRoot
  }
  if (-not $run.Found) {
    throw (New-Object System.IO.FileNotFoundException (
        "shadowctl.exe was not found on $where beside the ShadowCtl module, in `$env:SHADOWCTL_EXE or on PATH"))
  }
  $code = $run.ExitCode
  $text = $run.Text
  try {
    $doc = $text | ConvertFrom-Json
  } catch {
    throw "shadowctl wrote no JSON document (exit code $code): $text"
  }
  if ($null -eq $doc) { throw "shadowctl wrote no JSON document (exit code $code)" }
  return $doc
}

# A failed run's error as PowerShell reports errors: a COMException carrying the HRESULT
# (.HResult), the symbolic name and meaning in its Data, the remedy as RecommendedAction,
# the category from the exit class.
function New-ShadowCtlErrorRecord {
  param([Parameter(Mandatory = $true)]$Document, $Target)
  $e = $Document.error
  $what = $e.meaning
  if ($e.detail) { $what = $e.detail }
  $message = '{0} ({1}): {2}' -f $e.name, $e.hresult, $what
  $exception = New-Object System.Runtime.InteropServices.COMException ($message, [int]$e.decimal)
  $exception.Data['Name'] = $e.name
  $exception.Data['Meaning'] = $e.meaning
  $exception.Data['ExitCode'] = $e.exit_code
  $exception.Data['ExitClass'] = $e.exit_class
  $category = 'NotSpecified'
  if ($script:CategoryOfExitClass.ContainsKey([string]$e.exit_class)) {
    $category = $script:CategoryOfExitClass[[string]$e.exit_class]
  }
  # On another machine, the error is aimed at it and says which it is.
  if ($script:TargetSession) { $Target = $script:TargetSession.ComputerName }
  $message = Format-ShadowCtlMessage $message
  $record = New-Object System.Management.Automation.ErrorRecord (
    $exception, ('ShadowCtl.' + $e.name), [System.Management.Automation.ErrorCategory]$category, $Target)
  $record.ErrorDetails = New-Object System.Management.Automation.ErrorDetails ($message)
  $record.ErrorDetails.RecommendedAction = $e.remedy
  return $record
}

# The document of a run that must succeed; a failure ends the cmdlet (terminating).
function Invoke-ShadowCtlOrThrow {
  param([Parameter(Mandatory = $true)]$Cmdlet, [Parameter(Mandatory = $true)][string[]]$ArgumentList, $Target)
  $doc = Invoke-ShadowCtlJson -ArgumentList $ArgumentList
  if (-not $doc.ok) { $Cmdlet.ThrowTerminatingError((New-ShadowCtlErrorRecord -Document $doc -Target $Target)) }
  foreach ($w in @($doc.warnings)) { if ($w) { Write-Warning (Format-ShadowCtlMessage $w.message) } }
  return $doc
}

# Other machines, through PowerShell remoting and nothing of shadowctl's own: each cmdlet
# (but Invoke-ShadowCopy, whose script block runs here) takes these. The cmdlet then runs as
# it does here once a machine, each of its runs of shadowctl.exe going to that machine's
# session; the objects are made here, each with PSComputerName; a machine that fails is an
# error naming it, and the others go on. -HostName is SSH (PowerShell 7), -ComputerName
# WinRM; -Session is sessions already open. One table, so the parameters and the check of
# them are written once.
$script:RemotingParameters = [ordered]@{
  ComputerName = [string[]]
  HostName     = [string[]]
  Session      = [System.Management.Automation.Runspaces.PSSession[]]
  Credential   = [pscredential]
  UserName     = [string]
  KeyFilePath  = [string]
  Port         = [int]
  Options      = [hashtable]
}

function Get-ShadowCtlRemotingParameter {
  $dictionary = New-Object System.Management.Automation.RuntimeDefinedParameterDictionary
  foreach ($name in $script:RemotingParameters.Keys) {
    $attributes = New-Object System.Collections.ObjectModel.Collection[System.Attribute]
    $attributes.Add((New-Object System.Management.Automation.ParameterAttribute))
    $dictionary.Add($name, (New-Object System.Management.Automation.RuntimeDefinedParameter (
          $name, $script:RemotingParameters[$name], $attributes)))
  }
  # Objects that came from another machine go back to it: PSComputerName from the pipeline
  # picks, among the sessions, the one a piped object came from.
  $fromPipeline = New-Object System.Management.Automation.ParameterAttribute
  $fromPipeline.ValueFromPipelineByPropertyName = $true
  $fromPipeline.DontShow = $true
  $attributes = New-Object System.Collections.ObjectModel.Collection[System.Attribute]
  $attributes.Add($fromPipeline)
  $dictionary.Add('PSComputerName', (New-Object System.Management.Automation.RuntimeDefinedParameter (
        'PSComputerName', [string], $attributes)))
  return $dictionary
}

function New-ShadowCtlArgumentError {
  param([string]$Message, [string]$Id)
  New-Object System.Management.Automation.ErrorRecord (
    (New-Object System.ArgumentException $Message), ('ShadowCtl.' + $Id), 'InvalidArgument', $null)
}

# The machines a cmdlet's remoting parameters name, as sessions ($null: none, this machine).
# Sessions it opens are closed by Close-ShadowCtlTarget; a machine that cannot be reached is
# an error naming it, and the others go on.
function Open-ShadowCtlTarget {
  param([Parameter(Mandatory = $true)]$Cmdlet, [Parameter(Mandatory = $true)]$Bound)
  $ways = @('ComputerName', 'HostName', 'Session' | Where-Object { $Bound.ContainsKey($_) })
  if ($ways.Count -eq 0) {
    foreach ($name in 'Credential', 'UserName', 'KeyFilePath', 'Port', 'Options') {
      if ($Bound.ContainsKey($name)) {
        $Cmdlet.ThrowTerminatingError((New-ShadowCtlArgumentError "-$name needs -ComputerName or -HostName" 'RemotingWithoutMachine'))
      }
    }
    return $null
  }
  if ($ways.Count -gt 1) {
    $Cmdlet.ThrowTerminatingError((New-ShadowCtlArgumentError ('-' + ($ways -join ' and -') + ' do not go together: name the machines one way') 'RemotingTwoWays'))
  }
  if ($ways[0] -eq 'Session') { return [pscustomobject]@{ Sessions = @($Bound['Session']); Owned = $false } }
  $open = @{}
  if ($ways[0] -eq 'HostName') {
    if ($Bound.ContainsKey('Credential')) {
      $Cmdlet.ThrowTerminatingError((New-ShadowCtlArgumentError '-Credential is for -ComputerName (WinRM); over SSH (-HostName) give -UserName and -KeyFilePath' 'CredentialOverSsh'))
    }
    if ($PSVersionTable.PSVersion.Major -lt 7) {
      $Cmdlet.ThrowTerminatingError((New-ShadowCtlArgumentError '-HostName (remoting over SSH) needs PowerShell 7; Windows PowerShell remotes with -ComputerName (WinRM)' 'SshNeedsPowerShell7'))
    }
    $open['HostName'] = $Bound['HostName']
    foreach ($name in 'UserName', 'KeyFilePath', 'Port', 'Options') { if ($Bound.ContainsKey($name)) { $open[$name] = $Bound[$name] } }
  } else {
    foreach ($name in 'UserName', 'KeyFilePath', 'Options') {
      if ($Bound.ContainsKey($name)) {
        $Cmdlet.ThrowTerminatingError((New-ShadowCtlArgumentError "-$name is for -HostName (SSH); over WinRM (-ComputerName) give -Credential" 'SshOptionOverWinRM'))
      }
    }
    $open['ComputerName'] = $Bound['ComputerName']
    foreach ($name in 'Credential', 'Port') { if ($Bound.ContainsKey($name)) { $open[$name] = $Bound[$name] } }
  }
  # A machine that cannot be reached is New-PSSession's error, naming it; the others go on.
  $sessions = @(New-PSSession @open)
  return [pscustomobject]@{ Sessions = $sessions; Owned = $true }
}

function Close-ShadowCtlTarget {
  param($Target)
  if ($Target -and $Target.Owned -and $Target.Sessions.Count -gt 0) { Remove-PSSession -Session $Target.Sessions }
}

# Runs the cmdlet as it runs here, once for each machine of the target (a piped object's
# own machine only, when it names one), with the same parameters but the remoting ones.
function Invoke-ShadowCtlOnTarget {
  param([Parameter(Mandatory = $true)]$Cmdlet, [Parameter(Mandatory = $true)]$Target, [Parameter(Mandatory = $true)]$Bound)
  # The run on each machine keeps the caller's parameters but the remoting ones and the
  # streams' variables (what it writes is this cmdlet's already).
  $notPassed = @('PSComputerName', 'ErrorVariable', 'OutVariable', 'PipelineVariable', 'OutBuffer')
  $here = @{}
  foreach ($key in $Bound.Keys) {
    if ($notPassed -notcontains $key -and -not $script:RemotingParameters.Contains($key)) { $here[$key] = $Bound[$key] }
  }
  $sessions = $Target.Sessions
  $from = $Bound['PSComputerName']
  if ($from) {
    $sessions = @($sessions | Where-Object { $_.ComputerName -eq $from })
    if ($sessions.Count -eq 0) {
      $Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord (
            (New-Object System.ArgumentException "the object piped came from $from, which is not among the machines named"),
            'ShadowCtl.PipedFromAnotherMachine', 'InvalidArgument', $from)))
      return
    }
  }
  $command = $Cmdlet.MyInvocation.MyCommand
  # Restored, not cleared, afterwards: in a pipeline of two such cmdlets this one runs while
  # the one before it is still at work on its machine.
  $previous = $script:TargetSession
  foreach ($session in $sessions) {
    $machine = $session.ComputerName
    $script:TargetSession = $session
    try {
      # Its errors that do not end it name the machine already (New-ShadowCtlErrorRecord)
      # and go on as they are; one that ends it ends only this machine's part.
      # PSShowComputerName: tables show the machine, as for what Invoke-Command brings back.
      & $command @here | ForEach-Object {
        Add-Member -InputObject $_ -NotePropertyMembers @{ PSComputerName = $machine; PSShowComputerName = $true } -Force -PassThru
      }
    } catch {
      $record = $_
      if ($record.TargetObject -ne $machine) {
        $record = New-Object System.Management.Automation.ErrorRecord (
          $record.Exception, $record.FullyQualifiedErrorId, $record.CategoryInfo.Category, $machine)
        $record.ErrorDetails = New-Object System.Management.Automation.ErrorDetails ("${machine}: $($_.Exception.Message)")
      }
      $Cmdlet.WriteError($record)
    } finally {
      $script:TargetSession = $previous
    }
  }
}

# A message of the run, led by the machine's name when it is another.
function Format-ShadowCtlMessage {
  param([string]$Text)
  if ($script:TargetSession) { return "$($script:TargetSession.ComputerName): $Text" }
  return $Text
}

# What a confirmation names: the thing, and the machine when it is another.
function Format-ShadowCtlTarget {
  param([string]$What)
  if ($script:TargetSession) { return "$What on $($script:TargetSession.ComputerName)" }
  return $What
}

# Whether any remoting parameter is given.
function Test-ShadowCtlRemoting {
  param([Parameter(Mandatory = $true)]$Bound)
  foreach ($name in $script:RemotingParameters.Keys) { if ($Bound.ContainsKey($name)) { return $true } }
  return $false
}

# For a cmdlet without pipeline input: the whole of it on each machine the remoting
# parameters name.
function Invoke-ShadowCtlRemotely {
  param([Parameter(Mandatory = $true)]$Cmdlet, [Parameter(Mandatory = $true)]$Bound)
  $target = Open-ShadowCtlTarget -Cmdlet $Cmdlet -Bound $Bound
  try { Invoke-ShadowCtlOnTarget -Cmdlet $Cmdlet -Target $target -Bound $Bound } finally { Close-ShadowCtlTarget $target }
}

# ISO 8601 UTC text (or the [datetime] PowerShell 7's ConvertFrom-Json already made of it)
# as local time, as Win32_ShadowCopy's InstallDate is.
function ConvertTo-ShadowCtlDate {
  param($Value)
  if ($null -eq $Value) { return $null }
  if ($Value -is [datetime]) { return $Value.ToLocalTime() }
  return [datetime]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture,
    [System.Globalization.DateTimeStyles]::RoundtripKind).ToLocalTime()
}

function ConvertTo-ShadowCtlGuid {
  param($Value)
  if ($null -eq $Value -or $Value -eq '') { return $null }
  return [guid]([string]$Value)
}

# A shadow copy, with Win32_ShadowCopy's property names (ID, SetID, DeviceObject,
# VolumeName, InstallDate, ...), so scripts written for it read these unchanged.
function ConvertTo-ShadowCopyObject {
  param([Parameter(ValueFromPipeline = $true)]$Item)
  process {
    $attributes = @($Item.attributes)
    $mount = $null
    if (@($Item.original_mount_points).Count -gt 0) { $mount = @($Item.original_mount_points)[0] }
    [pscustomobject]@{
      PSTypeName         = 'ShadowCtl.ShadowCopy'
      ID                 = ConvertTo-ShadowCtlGuid $Item.id
      SetID              = ConvertTo-ShadowCtlGuid $Item.set_id
      InstallDate        = ConvertTo-ShadowCtlDate $Item.created
      VolumeName         = $Item.original_volume
      MountPoint         = $mount
      DeviceObject       = $Item.device_path
      Context            = $Item.context
      Persistent         = [bool]$Item.persistent
      ClientAccessible   = $attributes -contains 'client_accessible'
      NoAutoRelease      = $attributes -contains 'no_auto_release'
      NoWriters          = $attributes -contains 'no_writers'
      ExposedName        = $Item.exposed_name
      ExposedPath        = $Item.exposed_path
      ProviderID         = ConvertTo-ShadowCtlGuid $Item.provider_id
      ProviderName       = $Item.provider_name
      OriginatingMachine = $Item.originating_machine
      ServiceMachine     = $Item.service_machine
      Count              = $Item.shadows_in_set
      Attributes         = $attributes
    }
  }
}

function Get-ShadowCopy {
  <#
  .SYNOPSIS
  Lists shadow copies (shadowctl list shadows), newest first.
  .EXAMPLE
  Get-ShadowCopy -Volume C: | Where-Object InstallDate -lt (Get-Date).AddDays(-7)
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.ShadowCopy')]
  param(
    [Parameter(Position = 0)][string[]]$Volume,
    [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('ShadowID')][guid]$ID,
    [guid]$SetID
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  begin { $target = Open-ShadowCtlTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters }
  process {
    if ($target) { Invoke-ShadowCtlOnTarget -Cmdlet $PSCmdlet -Target $target -Bound $PSBoundParameters; return }
    $arguments = @('list', 'shadows')
    foreach ($v in @($Volume)) { if ($v) { $arguments += @('--volume', $v) } }
    if ($PSBoundParameters.ContainsKey('ID')) { $arguments += @('--id', $ID.ToString('B')) }
    if ($PSBoundParameters.ContainsKey('SetID')) { $arguments += @('--set', $SetID.ToString('B')) }
    $doc = Invoke-ShadowCtlJson -ArgumentList $arguments
    if (-not $doc.ok) {
      $record = New-ShadowCtlErrorRecord -Document $doc -Target $ID
      # One id among many that is not there: the others are still listed.
      if ($doc.error.exit_class -eq 'not_found') { $PSCmdlet.WriteError($record); return }
      $PSCmdlet.ThrowTerminatingError($record)
    }
    @($doc.result) | Where-Object { $_ } | ConvertTo-ShadowCopyObject
  }
  end { Close-ShadowCtlTarget $target }
}

function New-ShadowCopy {
  <#
  .SYNOPSIS
  Makes a shadow copy set of the volumes (shadowctl create); the new copies come out.
  .EXAMPLE
  New-ShadowCopy -Volume C:, D: -Context app-rollback -BackupType copy
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium')]
  [OutputType('ShadowCtl.ShadowCopy')]
  param(
    [Parameter(Mandatory = $true, Position = 0)][string[]]$Volume,
    [ValidateSet('backup', 'file-share-backup', 'nas-rollback', 'app-rollback', 'client-accessible', 'client-accessible-writers')]
    [string]$Context,
    [ValidateSet('copy', 'full', 'incremental', 'differential', 'log')][string]$BackupType,
    [string[]]$IncludeWriter,
    [string[]]$ExcludeWriter,
    [switch]$NoWriters,
    [ValidateRange(0, 10)][int]$Retry = 0
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $arguments = @('create') + $Volume
    if ($Context) { $arguments += @('--context', $Context) }
    if ($BackupType) { $arguments += @('--backup-type', $BackupType) }
    foreach ($w in @($IncludeWriter)) { if ($w) { $arguments += @('--include-writer', $w) } }
    foreach ($w in @($ExcludeWriter)) { if ($w) { $arguments += @('--exclude-writer', $w) } }
    if ($NoWriters) { $arguments += '--no-writers' }
    if ($Retry -gt 0) { $arguments += @('--retry', [string]$Retry) }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget ($Volume -join ', ')), 'Create a shadow copy set')) { return }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments -Target ($Volume -join ', ')
    @($doc.result.shadows) | ConvertTo-ShadowCopyObject
  }
}

function Remove-ShadowCopy {
  <#
  .SYNOPSIS
  Deletes the shadow copies named (shadowctl delete), each confirmed first: -WhatIf deletes
  nothing, -Confirm:$false asks nothing. By pipeline or -ID, by -SetID, by -Volume (with
  -Oldest, only each volume's oldest), or -All; with -Volume or -All and a retention policy
  (-KeepLast, -KeepDaily, ...: shadowctl prune's rules), only what no rule keeps.
  .EXAMPLE
  Get-ShadowCopy -Volume C: | Where-Object InstallDate -lt (Get-Date).AddDays(-7) | Remove-ShadowCopy -WhatIf
  .EXAMPLE
  Remove-ShadowCopy -Volume D: -KeepLast 4 -KeepDaily 7 -KeepWeekly 4 -Confirm:$false
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'ById')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true, Position = 0)]
    [Alias('ShadowID')][guid[]]$ID,
    [Parameter(Mandatory = $true, ParameterSetName = 'BySet')][guid]$SetID,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByVolume')][string[]]$Volume,
    [Parameter(ParameterSetName = 'ByVolume')][switch]$Oldest,
    [Parameter(Mandatory = $true, ParameterSetName = 'All')][switch]$All,
    # With -Volume or -All, a retention policy as shadowctl prune reads it: of those, what no
    # rule keeps is deleted.
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepLast,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepHourly,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepDaily,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepWeekly,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepMonthly,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][int]$KeepYearly,
    [Parameter(ParameterSetName = 'ByVolume')][Parameter(ParameterSetName = 'All')][string]$KeepWithin
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  begin {
    $target = Open-ShadowCtlTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters
    $named = New-Object System.Collections.Generic.List[string]
  }
  process {
    if ($target) { Invoke-ShadowCtlOnTarget -Cmdlet $PSCmdlet -Target $target -Bound $PSBoundParameters; return }
    foreach ($i in @($ID)) { if ($i) { $named.Add($i.ToString('B')) } }
  }
  end {
    if ($target) { Close-ShadowCtlTarget $target; return }
    # What the selection holds, from shadowctl's own dry run: the same copies delete would take.
    $selection = @('delete', '--dry-run')
    switch ($PSCmdlet.ParameterSetName) {
      'ById' { foreach ($i in $named) { $selection += @('--id', $i) } }
      'BySet' { $selection += @('--set', $SetID.ToString('B')) }
      'ByVolume' {
        foreach ($v in $Volume) { $selection += @('--volume', $v) }
        if ($Oldest) { $selection += '--oldest' } else { $selection += '--all' }
      }
      'All' { $selection += '--all' }
    }
    if ($PSCmdlet.ParameterSetName -eq 'ById' -and $named.Count -eq 0) { return }
    $rules = @{ KeepLast = '--keep-last'; KeepHourly = '--keep-hourly'; KeepDaily = '--keep-daily';
      KeepWeekly = '--keep-weekly'; KeepMonthly = '--keep-monthly'; KeepYearly = '--keep-yearly'; KeepWithin = '--keep-within' }
    $policy = @($rules.Keys | Where-Object { $PSBoundParameters.ContainsKey($_) })
    if ($policy.Count -gt 0) {
      if ($Oldest) { $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (
            (New-Object System.ArgumentException '-Oldest and a retention policy (-Keep...) do not go together'),
            'ShadowCtl.OldestWithPolicy', 'InvalidArgument', $null))) }
      # shadowctl prune's verdicts: each copy no rule keeps is named for the confirmation.
      $selection = @('prune', '--dry-run')
      foreach ($v in @($Volume)) { if ($v) { $selection += @('--volume', $v) } }
      foreach ($rule in $policy) { $selection += @($rules[$rule], [string]$PSBoundParameters[$rule]) }
    }
    $doc = Invoke-ShadowCtlJson -ArgumentList $selection
    if (-not $doc.ok) {
      $record = New-ShadowCtlErrorRecord -Document $doc -Target ($named -join ', ')
      if ($doc.error.exit_class -eq 'not_found') { $PSCmdlet.WriteError($record); return }
      $PSCmdlet.ThrowTerminatingError($record)
    }
    $confirmed = @()
    if ($policy.Count -gt 0) {
      $selected = @($doc.result.verdicts | Where-Object { $_.action -eq 'delete' } |
        ForEach-Object { [pscustomobject]@{ id = $_.shadow_id; original_volume = $_.original_volume;
          original_mount_points = $_.original_mount_points; created = $_.created } })
    } else {
      $selected = @($doc.result.selected)
    }
    foreach ($s in $selected) {
      if (-not $s) { continue }
      $mount = $s.original_volume
      if (@($s.original_mount_points).Count -gt 0) { $mount = @($s.original_mount_points)[0] }
      if ($PSCmdlet.ShouldProcess((Format-ShadowCtlTarget ('{0} of {1}, made {2}' -f $s.id, $mount, $s.created)), 'Delete the shadow copy')) {
        $confirmed += @('--id', $s.id)
      }
    }
    if ($confirmed.Count -eq 0) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList (@('delete') + $confirmed)
  }
}

function Invoke-ShadowCopy {
  <#
  .SYNOPSIS
  Runs a script block once while a shadow copy set of the volumes exists: the copies, one
  a volume in the order given, are its argument, and $_ is the first of them. The set is
  deleted afterwards, however the block ends; what the block writes is the output.
  .EXAMPLE
  Invoke-ShadowCopy -Volume C: -ScriptBlock { robocopy "$($_.DeviceObject)\Users" D:\Backup\Users /MIR /B }
  #>
  [CmdletBinding()]
  param(
    [Parameter(Mandatory = $true, Position = 0)][string[]]$Volume,
    [Parameter(Mandatory = $true, Position = 1)][scriptblock]$ScriptBlock,
    [ValidateSet('copy', 'full', 'incremental', 'differential', 'log')][string]$BackupType
  )
  $create = @{ Volume = $Volume; Confirm = $false }
  if ($BackupType) { $create['BackupType'] = $BackupType }
  $copies = @(New-ShadowCopy @create)
  try {
    $underscore = New-Object System.Collections.Generic.List[psvariable]
    $underscore.Add((New-Object psvariable '_', $copies[0]))
    $ScriptBlock.InvokeWithContext($null, $underscore, @(, $copies))
  } finally {
    if ($copies.Count -gt 0) { Remove-ShadowCopy -ID ($copies | ForEach-Object { $_.ID }) -Confirm:$false }
  }
}

function Mount-ShadowCopy {
  <#
  .SYNOPSIS
  Exposes a persistent shadow copy read-only at a drive letter or an empty folder (shadowctl expose).
  .EXAMPLE
  Get-ShadowCopy -Volume C: | Select-Object -First 1 | Mount-ShadowCopy -Path X:
  #>
  [CmdletBinding(SupportsShouldProcess = $true)]
  [OutputType('ShadowCtl.ShadowCopy')]
  param(
    [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true, Position = 0)][Alias('ShadowID')][guid]$ID,
    [Parameter(Mandatory = $true, Position = 1)][string]$Path
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  begin { $target = Open-ShadowCtlTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters }
  process {
    if ($target) { Invoke-ShadowCtlOnTarget -Cmdlet $PSCmdlet -Target $target -Bound $PSBoundParameters; return }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget $ID.ToString('B')), "Expose at $Path")) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('expose', $ID.ToString('B'), $Path) -Target $ID
    Get-ShadowCopy -ID $ID
  }
  end { Close-ShadowCtlTarget $target }
}

function Dismount-ShadowCopy {
  <#
  .SYNOPSIS
  Ends the exposure of a shadow copy at a drive letter or folder (shadowctl unexpose).
  .EXAMPLE
  Dismount-ShadowCopy -Path X:
  #>
  [CmdletBinding(SupportsShouldProcess = $true)]
  param(
    [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true, Position = 0)]
    [Alias('ExposedName')][string]$Path
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  begin { $target = Open-ShadowCtlTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters }
  process {
    if ($target) { Invoke-ShadowCtlOnTarget -Cmdlet $PSCmdlet -Target $target -Bound $PSBoundParameters; return }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget $Path), 'Unexpose the shadow copy')) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('unexpose', $Path) -Target $Path
  }
  end { Close-ShadowCtlTarget $target }
}

function Test-ShadowCopy {
  <#
  .SYNOPSIS
  Checks that VSS can work here (shadowctl check); -Deep proves a backup would work.
  -Quiet gives $true or $false; otherwise the result, its checks and the first failure.
  .EXAMPLE
  if (-not (Test-ShadowCopy -Deep -Quiet)) { throw 'VSS cannot back this machine up tonight' }
  #>
  [CmdletBinding()]
  param([switch]$Deep, [switch]$Writers, [switch]$Strict, [string[]]$Volume, [switch]$Quiet)
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $arguments = @('check')
    if ($Deep) { $arguments += '--deep' }
    if ($Writers) { $arguments += '--writers' }
    if ($Strict) { $arguments += '--strict' }
    foreach ($v in @($Volume)) { if ($v) { $arguments += $v } }
    $doc = Invoke-ShadowCtlJson -ArgumentList $arguments
    if ($Quiet) { return [bool]$doc.ok }
    if ($null -eq $doc.result) { $PSCmdlet.ThrowTerminatingError((New-ShadowCtlErrorRecord -Document $doc)) }
    $checks = foreach ($c in @($doc.result.checks)) {
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.Check'
        Name = $c.name; About = $c.about; Status = $c.status; Detail = $c.detail; Remedy = $c.remedy
        Error = $(if ($c.code) { $c.code.name } else { $null })
      }
    }
    $events = @()
    if ($doc.result.PSObject.Properties['events']) { $events = @($doc.result.events | ConvertTo-ShadowCtlEvent) }
    [pscustomobject]@{
      PSTypeName = 'ShadowCtl.CheckResult'
      Ok = [bool]$doc.ok; Verdict = $doc.result.verdict; ExitCode = $doc.exit_code
      Checks = @($checks); Events = $events; Error = $doc.error
    }
  }
}

function Get-ShadowCopyWriter {
  <#
  .SYNOPSIS
  Lists the VSS writers and their state (shadowctl list writers); a failed writer is a
  warning here, and its state says which.
  .EXAMPLE
  Get-ShadowCopyWriter | Where-Object Failed
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.Writer')]
  param([string]$Name)
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $doc = Invoke-ShadowCtlJson -ArgumentList @('list', 'writers')
    if ($null -eq $doc.result) { $PSCmdlet.ThrowTerminatingError((New-ShadowCtlErrorRecord -Document $doc)) }
    if (-not $doc.ok) { Write-Warning (Format-ShadowCtlMessage $doc.error.detail) }
    foreach ($w in @($doc.result)) {
      if (-not $w -or ($Name -and $w.name -notlike $Name)) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.Writer'
        Name = $w.name; WriterID = ConvertTo-ShadowCtlGuid $w.writer_id
        InstanceID = ConvertTo-ShadowCtlGuid $w.instance_id; State = $w.state
        StateValue = $w.state_value; Failed = [bool]$w.failed
        LastError = $(if ($w.last_error) { $w.last_error.name } else { $null })
      }
    }
  }
}

function Get-ShadowCopyProvider {
  <#
  .SYNOPSIS
  Lists the shadow copy providers (shadowctl list providers).
  .EXAMPLE
  Get-ShadowCopyProvider
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.Provider')]
  param()
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('list', 'providers')
    foreach ($p in @($doc.result)) {
      if (-not $p) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.Provider'
        ProviderID = ConvertTo-ShadowCtlGuid $p.id; Name = $p.name; Type = $p.type; Version = $p.version
      }
    }
  }
}

function Get-ShadowCopyVolume {
  <#
  .SYNOPSIS
  Lists the local volumes and whether a provider can shadow each (shadowctl list volumes).
  .EXAMPLE
  Get-ShadowCopyVolume | Where-Object Supported
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.Volume')]
  param()
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('list', 'volumes')
    foreach ($v in @($doc.result)) {
      if (-not $v) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.Volume'
        VolumeName = $v.volume; MountPoints = @($v.mount_points); FileSystem = $v.file_system
        Label = $v.label; Supported = [bool]$v.supported; ShadowCount = $v.shadow_count
        Snapshotted = [bool]$v.snapshotted
      }
    }
  }
}

function Get-ShadowStorage {
  <#
  .SYNOPSIS
  Lists the shadow storage associations (shadowctl list storage), with Win32_ShadowStorage's
  property names: Volume, DiffVolume, UsedSpace, AllocatedSpace, MaxSpace.
  .EXAMPLE
  Get-ShadowStorage | Select-Object Volume, @{ n = 'Used%'; e = { [int](100 * $_.UsedSpace / $_.MaxSpace) } }
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.ShadowStorage')]
  param([string]$Volume)
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('list', 'storage')
    # -Volume as typed (C, C:, C:\ or the GUID path) against the volume the storage is for.
    $wanted = $null
    if ($Volume) {
      $wanted = $Volume.TrimEnd('\')
      if ($wanted.Length -eq 1) { $wanted += ':' }
    }
    foreach ($s in @($doc.result)) {
      if (-not $s) { continue }
      if ($wanted) {
        $names = @($s.for_volume.TrimEnd('\')) + @($s.for_mount_points | ForEach-Object { ([string]$_).TrimEnd('\') })
        if ($names -notcontains $wanted) { continue }
      }
      $for = $s.for_volume; $on = $s.on_volume
      if (@($s.for_mount_points).Count -gt 0) { $for = @($s.for_mount_points)[0] }
      if (@($s.on_mount_points).Count -gt 0) { $on = @($s.on_mount_points)[0] }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.ShadowStorage'
        Volume = $for; DiffVolume = $on; VolumeName = $s.for_volume; DiffVolumeName = $s.on_volume
        UsedSpace = [uint64]$s.used; AllocatedSpace = [uint64]$s.allocated; MaxSpace = [uint64]$s.maximum
      }
    }
  }
}

function ConvertTo-ShadowCtlEvent {
  param([Parameter(ValueFromPipeline = $true)]$Item)
  process {
    if (-not $Item) { return }
    [pscustomobject]@{
      PSTypeName = 'ShadowCtl.Event'
      TimeCreated = ConvertTo-ShadowCtlDate $Item.time; LogName = $Item.log
      ProviderName = $Item.source; Id = $Item.id; LevelDisplayName = $Item.level
      Message = $Item.message; Data = @($Item.data); Meaning = $Item.meaning
      Remedy = $Item.remedy; Errors = @($Item.errors | ForEach-Object { if ($_) { $_.name } })
    }
  }
}

function Get-ShadowCopyEvent {
  <#
  .SYNOPSIS
  The VSS, volsnap and writer events of the event log (shadowctl events), explained, with
  Get-WinEvent's property names (TimeCreated, ProviderName, Id, LevelDisplayName, Message).
  .EXAMPLE
  Get-ShadowCopyEvent -Since 2d | Where-Object LevelDisplayName -eq 'Error'
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.Event')]
  param([string]$Since = '24h', [ValidateRange(0, 65535)][int]$Id = -1)
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $arguments = @('events', '--since', $Since)
    if ($Id -ge 0) { $arguments += @('--id', [string]$Id) }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments
    @($doc.result.events) | ConvertTo-ShadowCtlEvent
  }
}

function Get-ShadowCopyVersion {
  <#
  .SYNOPSIS
  Every shadow copy's version of a file, beside today's (shadowctl versions).
  .EXAMPLE
  Get-ShadowCopyVersion -Path C:\Users\ann\report.docx | Where-Object Differs | Select-Object -First 1
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.FileVersion')]
  param(
    [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
    [Alias('FullName')][string]$Path,
    [switch]$Compare
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  begin { $target = Open-ShadowCtlTarget -Cmdlet $PSCmdlet -Bound $PSBoundParameters }
  process {
    if ($target) { Invoke-ShadowCtlOnTarget -Cmdlet $PSCmdlet -Target $target -Bound $PSBoundParameters; return }
    $arguments = @('versions', $Path)
    if ($Compare) { $arguments += '--compare' }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments -Target $Path
    foreach ($v in @($doc.result.versions)) {
      if (-not $v) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.FileVersion'
        Path = $doc.result.path; ShadowID = ConvertTo-ShadowCtlGuid $v.shadow_id
        ShadowCreated = ConvertTo-ShadowCtlDate $v.shadow_created; LastWriteTime = ConvertTo-ShadowCtlDate $v.written
        Length = [uint64]$v.size; Type = $v.type; Differs = [bool]$v.differs; DevicePath = $v.device_path
      }
    }
  }
  end { Close-ShadowCtlTarget $target }
}

function Restore-ShadowCopyItem {
  <#
  .SYNOPSIS
  Gets files and folders back from a shadow copy (shadowctl restore): into -Destination, or
  in place (each current file kept beside it unless -NoBackup). -WhatIf writes nothing.
  .EXAMPLE
  Restore-ShadowCopyItem -Path C:\Users\ann\report.docx -Destination D:\restored
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium', DefaultParameterSetName = 'To')]
  [OutputType('ShadowCtl.RestoredItem')]
  param(
    [Parameter(Mandatory = $true, Position = 0)][string[]]$Path,
    [Parameter(Mandatory = $true, ParameterSetName = 'To', Position = 1)][string]$Destination,
    [Parameter(Mandatory = $true, ParameterSetName = 'InPlace')][switch]$InPlace,
    [Parameter(ParameterSetName = 'InPlace')][switch]$NoBackup,
    [guid]$From,
    [datetime]$Before,
    [switch]$Force
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $arguments = @('restore') + $Path
    if ($InPlace) { $arguments += @('--in-place', '--yes') } else { $arguments += @('--to', $Destination) }
    if ($NoBackup) { $arguments += '--no-backup' }
    if ($PSBoundParameters.ContainsKey('From')) { $arguments += @('--from', $From.ToString('B')) }
    if ($PSBoundParameters.ContainsKey('Before')) {
      $arguments += @('--before', $Before.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm', [System.Globalization.CultureInfo]::InvariantCulture) + 'Z')
    }
    if ($Force) { $arguments += '--overwrite' }
    $where = $Destination
    if ($InPlace) { $where = 'in place' }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget ($Path -join ', ')), "Restore from a shadow copy to $where")) { return }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments -Target ($Path -join ', ')
    foreach ($i in @($doc.result.items)) {
      if (-not $i) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.RestoredItem'
        Path = $i.path; Destination = $i.destination; Type = $i.type; Length = [uint64]$i.size
        LastWriteTime = ConvertTo-ShadowCtlDate $i.written; State = $i.state
      }
    }
  }
}

function Compare-ShadowCopy {
  <#
  .SYNOPSIS
  What changed between a shadow copy and the volume as it is now, or a newer copy (shadowctl diff).
  .EXAMPLE
  Compare-ShadowCopy -Path D:\Projects | Where-Object Change -eq 'removed'
  #>
  [CmdletBinding()]
  [OutputType('ShadowCtl.Change')]
  param(
    [Parameter(Position = 0)][string]$From = 'latest',
    [Parameter(Position = 1)][string]$To = 'live',
    [string]$Path,
    [switch]$Compare
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $arguments = @('diff', $From, $To)
    if ($Path) { $arguments += @('--path', $Path) }
    if ($Compare) { $arguments += '--compare' }
    $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments -Target $Path
    foreach ($c in @($doc.result.changes)) {
      if (-not $c) { continue }
      [pscustomobject]@{
        PSTypeName = 'ShadowCtl.Change'
        Change = $c.change; Path = $c.path; What = @($c.what); Before = $c.before; After = $c.after
      }
    }
  }
}

function Add-ShadowStorage {
  <#
  .SYNOPSIS
  Associates shadow storage for a volume's copies on a volume, with a maximum (shadowctl storage add).
  .EXAMPLE
  Add-ShadowStorage -Volume C: -DiffVolume D: -MaxSize 20GB
  #>
  [CmdletBinding(SupportsShouldProcess = $true)]
  [OutputType('ShadowCtl.ShadowStorage')]
  param(
    [Parameter(Mandatory = $true)][string]$Volume,
    [Parameter(Mandatory = $true)][string]$DiffVolume,
    [Parameter(Mandatory = $true)][string]$MaxSize
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget "$Volume on $DiffVolume"), "Add shadow storage of at most $MaxSize")) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('storage', 'add', '--for', $Volume, '--on', $DiffVolume, '--max', $MaxSize) -Target $Volume
    Get-ShadowStorage -Volume $Volume
  }
}

function Set-ShadowStorage {
  <#
  .SYNOPSIS
  Changes the maximum of a volume's shadow storage (shadowctl storage resize); a smaller one
  can cost the oldest copies, which -WhatIf names.
  .EXAMPLE
  Set-ShadowStorage -Volume C: -MaxSize 15% -WhatIf
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
  [OutputType('ShadowCtl.ShadowStorage')]
  param(
    [Parameter(Mandatory = $true)][string]$Volume,
    [Parameter(Mandatory = $true)][string]$MaxSize
  )
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    $plan = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('storage', 'resize', '--for', $Volume, '--max', $MaxSize, '--dry-run') -Target $Volume
    $cost = @($plan.result.at_risk).Count
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget $Volume), "Set the shadow storage maximum to $MaxSize ($cost shadow copies at risk)")) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('storage', 'resize', '--for', $Volume, '--max', $MaxSize, '--yes') -Target $Volume
    Get-ShadowStorage -Volume $Volume
  }
}

function Remove-ShadowStorage {
  <#
  .SYNOPSIS
  Removes a volume's shadow storage association, and with it its shadow copies (shadowctl storage delete).
  .EXAMPLE
  Remove-ShadowStorage -Volume D: -WhatIf
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
  param([Parameter(Mandatory = $true)][string]$Volume)
  dynamicparam { Get-ShadowCtlRemotingParameter }
  end {
    if (Test-ShadowCtlRemoting $PSBoundParameters) { Invoke-ShadowCtlRemotely -Cmdlet $PSCmdlet -Bound $PSBoundParameters; return }
    if (-not $PSCmdlet.ShouldProcess((Format-ShadowCtlTarget $Volume), 'Remove the shadow storage and every shadow copy it holds')) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('storage', 'delete', '--for', $Volume, '--yes') -Target $Volume
  }
}

Export-ModuleMember -Function @(
  'Get-ShadowCopy', 'New-ShadowCopy', 'Remove-ShadowCopy', 'Invoke-ShadowCopy',
  'Mount-ShadowCopy', 'Dismount-ShadowCopy', 'Test-ShadowCopy',
  'Get-ShadowCopyWriter', 'Get-ShadowCopyProvider', 'Get-ShadowCopyVolume',
  'Get-ShadowStorage', 'Get-ShadowCopyEvent', 'Get-ShadowCopyVersion', 'Restore-ShadowCopyItem',
  'Compare-ShadowCopy', 'Add-ShadowStorage', 'Set-ShadowStorage', 'Remove-ShadowStorage'
)
