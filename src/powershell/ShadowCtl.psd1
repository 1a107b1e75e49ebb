# The ShadowCtl module: PowerShell cmdlets over shadowctl.exe --json (docs/powershell.md).
# Written for Windows PowerShell 5.1 and PowerShell 7 alike.
@{
  RootModule         = 'ShadowCtl.psm1'
  ModuleVersion      = '0.1.0'
  GUID               = '6d3f1c2e-5b7a-4e0c-9f1d-2a8b4c6e7f10'
  Author             = 'The shadowctl developers'
  Copyright          = '(c) 2026 The shadowctl developers. MIT License.'
  Description        = 'Volume Shadow Copy Service cmdlets: shadow copies, writers, providers, volumes, shadow storage, checks and events, as typed objects, through shadowctl.exe.'
  PowerShellVersion  = '5.1'
  CompatiblePSEditions = @('Desktop', 'Core')
  FormatsToProcess   = @('ShadowCtl.Format.ps1xml')
  TypesToProcess     = @('ShadowCtl.Types.ps1xml')
  FunctionsToExport  = @(
    'Get-ShadowCopy', 'New-ShadowCopy', 'Remove-ShadowCopy', 'Invoke-ShadowCopy',
    'Mount-ShadowCopy', 'Dismount-ShadowCopy', 'Test-ShadowCopy',
    'Get-ShadowCopyWriter', 'Get-ShadowCopyProvider', 'Get-ShadowCopyVolume',
    'Get-ShadowStorage', 'Get-ShadowCopyEvent', 'Get-ShadowCopyVersion', 'Restore-ShadowCopyItem',
    'Compare-ShadowCopy', 'Add-ShadowStorage', 'Set-ShadowStorage', 'Remove-ShadowStorage'
  )
  CmdletsToExport    = @()
  VariablesToExport  = @()
  AliasesToExport    = @()
  # What the PowerShell Gallery shows; the release (cmake/release.cmake) writes the URLs of
  # the repository it is made from.
  PrivateData        = @{
    PSData = @{
      Tags       = @('VSS', 'ShadowCopy', 'Backup', 'Snapshot', 'Windows', 'PSEdition_Desktop', 'PSEdition_Core')
      ProjectUri = 'https://github.com/shadowctl/shadowctl'
      LicenseUri = 'https://github.com/shadowctl/shadowctl/blob/main/LICENSE'
    }
  }
}
