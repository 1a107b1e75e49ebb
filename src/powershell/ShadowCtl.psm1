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

# shadowctl.exe beside the module (as it ships), else $env:SHADOWCTL_EXE, else on PATH.
function Get-ShadowCtlPath {
  $beside = Join-Path $PSScriptRoot 'shadowctl.exe'
  if (Test-Path -LiteralPath $beside -PathType Leaf) { return $beside }
  if ($env:SHADOWCTL_EXE) { return $env:SHADOWCTL_EXE }
  $found = Get-Command -Name shadowctl -CommandType Application -ErrorAction SilentlyContinue |
    Select-Object -First 1
  if ($found) { return $found.Path }
  throw (New-Object System.IO.FileNotFoundException (
      'shadowctl.exe was not found beside the ShadowCtl module, in $env:SHADOWCTL_EXE or on PATH'))
}

# Runs shadowctl.exe --json ARGUMENTS; the one document it writes, on success or failure.
function Invoke-ShadowCtlJson {
  param([Parameter(Mandatory = $true)][string[]]$ArgumentList)
  $exe = Get-ShadowCtlPath
  Write-Verbose ("shadowctl --json " + ($ArgumentList -join ' '))
  $lines = & $exe --json @ArgumentList 2>$null
  $code = $LASTEXITCODE
  $text = ($lines | Out-String)
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
  foreach ($w in @($doc.warnings)) { if ($w) { Write-Warning $w.message } }
  return $doc
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
  process {
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
  $arguments = @('create') + $Volume
  if ($Context) { $arguments += @('--context', $Context) }
  if ($BackupType) { $arguments += @('--backup-type', $BackupType) }
  foreach ($w in @($IncludeWriter)) { if ($w) { $arguments += @('--include-writer', $w) } }
  foreach ($w in @($ExcludeWriter)) { if ($w) { $arguments += @('--exclude-writer', $w) } }
  if ($NoWriters) { $arguments += '--no-writers' }
  if ($Retry -gt 0) { $arguments += @('--retry', [string]$Retry) }
  if (-not $PSCmdlet.ShouldProcess(($Volume -join ', '), 'Create a shadow copy set')) { return }
  $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments -Target ($Volume -join ', ')
  @($doc.result.shadows) | ConvertTo-ShadowCopyObject
}

function Remove-ShadowCopy {
  <#
  .SYNOPSIS
  Deletes the shadow copies named (shadowctl delete), each confirmed first: -WhatIf deletes
  nothing, -Confirm:$false asks nothing. By pipeline or -ID, by -SetID, by -Volume (with
  -Oldest, only each volume's oldest), or -All.
  .EXAMPLE
  Get-ShadowCopy -Volume C: | Where-Object InstallDate -lt (Get-Date).AddDays(-7) | Remove-ShadowCopy -WhatIf
  #>
  [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'ById')]
  param(
    [Parameter(Mandatory = $true, ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true, Position = 0)]
    [Alias('ShadowID')][guid[]]$ID,
    [Parameter(Mandatory = $true, ParameterSetName = 'BySet')][guid]$SetID,
    [Parameter(Mandatory = $true, ParameterSetName = 'ByVolume')][string[]]$Volume,
    [Parameter(ParameterSetName = 'ByVolume')][switch]$Oldest,
    [Parameter(Mandatory = $true, ParameterSetName = 'All')][switch]$All
  )
  begin { $named = New-Object System.Collections.Generic.List[string] }
  process {
    foreach ($i in @($ID)) { if ($i) { $named.Add($i.ToString('B')) } }
  }
  end {
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
    $doc = Invoke-ShadowCtlJson -ArgumentList $selection
    if (-not $doc.ok) {
      $record = New-ShadowCtlErrorRecord -Document $doc -Target ($named -join ', ')
      if ($doc.error.exit_class -eq 'not_found') { $PSCmdlet.WriteError($record); return }
      $PSCmdlet.ThrowTerminatingError($record)
    }
    $confirmed = @()
    foreach ($s in @($doc.result.selected)) {
      if (-not $s) { continue }
      $mount = $s.original_volume
      if (@($s.original_mount_points).Count -gt 0) { $mount = @($s.original_mount_points)[0] }
      if ($PSCmdlet.ShouldProcess(('{0} of {1}, made {2}' -f $s.id, $mount, $s.created), 'Delete the shadow copy')) {
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
  process {
    if (-not $PSCmdlet.ShouldProcess($ID.ToString('B'), "Expose at $Path")) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('expose', $ID.ToString('B'), $Path) -Target $ID
    Get-ShadowCopy -ID $ID
  }
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
  process {
    if (-not $PSCmdlet.ShouldProcess($Path, 'Unexpose the shadow copy')) { return }
    $null = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('unexpose', $Path) -Target $Path
  }
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
  $doc = Invoke-ShadowCtlJson -ArgumentList @('list', 'writers')
  if ($null -eq $doc.result) { $PSCmdlet.ThrowTerminatingError((New-ShadowCtlErrorRecord -Document $doc)) }
  if (-not $doc.ok) { Write-Warning $doc.error.detail }
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
  $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList @('list', 'providers')
  foreach ($p in @($doc.result)) {
    if (-not $p) { continue }
    [pscustomobject]@{
      PSTypeName = 'ShadowCtl.Provider'
      ProviderID = ConvertTo-ShadowCtlGuid $p.id; Name = $p.name; Type = $p.type; Version = $p.version
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
  $arguments = @('list', 'storage')
  if ($Volume) { $arguments += @('--volume', $Volume) }
  $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments
  foreach ($s in @($doc.result)) {
    if (-not $s) { continue }
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
  $arguments = @('events', '--since', $Since)
  if ($Id -ge 0) { $arguments += @('--id', [string]$Id) }
  $doc = Invoke-ShadowCtlOrThrow -Cmdlet $PSCmdlet -ArgumentList $arguments
  @($doc.result.events) | ConvertTo-ShadowCtlEvent
}

Export-ModuleMember -Function @(
  'Get-ShadowCopy', 'New-ShadowCopy', 'Remove-ShadowCopy', 'Invoke-ShadowCopy',
  'Mount-ShadowCopy', 'Dismount-ShadowCopy', 'Test-ShadowCopy',
  'Get-ShadowCopyWriter', 'Get-ShadowCopyProvider', 'Get-ShadowCopyVolume',
  'Get-ShadowStorage', 'Get-ShadowCopyEvent'
)
