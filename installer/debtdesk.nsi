; debtdesk - Windows installer (NSIS 3.08+, Unicode). Built over PyInstaller's dist\debtdesk.
;
;   makensis -DVERSION=0.1.0 installer\debtdesk.nsi            -> dist\debtdesk-0.1.0-setup.exe
;   makensis works in this script's folder, so relative paths are from installer/.
;   optional: -DDIST=<folder>   the one-folder bundle (default ../dist/debtdesk)
;             -DEXE=<name>      its windowed program (default debtdesk.exe; CI on Linux: debtdesk)
;             -DCLIEXE=<name>   its console program (default debtdesk-cli.exe; CI on Linux: debtdesk)
;             -DNOCOMPRESS      no compression (CI only proves the script compiles)
;             -DSIGN=<command>  signs the installer and the uninstaller, "%1" is the file, e.g.
;                               -DSIGN="signtool sign /fd sha256 /tr http://ts.example /td sha256 /a"
;
; Per-machine install into Program Files, Start-menu entries, an uninstaller registered under
; HKLM\...\Uninstall\debtdesk. The database location IT chooses (a SQLite path or a PostgreSQL
; URL; empty = each user's own file) goes to %ProgramData%\debtdesk\debtdesk.ini, [database] url,
; from the "Database" page or, silently, /DB=<location>:
;   debtdesk-0.1.0-setup.exe /S /DB=postgresql+psycopg://debtdesk@db.council.local/debtdesk
; Nothing of the user's is ever removed: not %LOCALAPPDATA%\debtdesk (the databases, their
; backups, the documents folder), not the settings file, on upgrade or on uninstall.

; A 64-bit installer for the 64-bit bundle: it writes the 64-bit registry and Program Files,
; and a 32-bit Windows refuses to start it (the stubs come with NSIS 3.08 and later).
Target amd64-unicode
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is required: makensis -DVERSION=x.y.z installer/debtdesk.nsi"
!endif
!ifndef DIST
  !define DIST "../dist/debtdesk"
!endif
!ifndef EXE
  !define EXE "debtdesk.exe"
!endif
!ifndef CLIEXE
  !define CLIEXE "debtdesk-cli.exe"
!endif
!ifndef OUTDIR
  !define OUTDIR "../dist"
!endif

!define APP "debtdesk"
!define PUBLISHER "Wexshire County Council"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!define SETTINGS_DIR "$APPDATA\${APP}"  ; ProgramData: SetShellVarContext all in .onInit
!define SETTINGS_FILE "${SETTINGS_DIR}\${APP}.ini"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "StrFunc.nsh"
${StrStr}  ; declares the function used below

Name "${APP} ${VERSION}"
OutFile "${OUTDIR}/${APP}-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP}"
RequestExecutionLevel admin
!ifdef NOCOMPRESS      ; CI's syntax check: seconds instead of minutes
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${APP}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${APP} ${VERSION} installer"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!ifdef SIGN
  !finalize '${SIGN} "%1"' = 0
  !uninstfinalize '${SIGN} "%1"' = 0
!endif

!define MUI_ICON "debtdesk.ico"
!define MUI_UNICON "debtdesk.ico"
!define MUI_ABORTWARNING

Var Database          ; the location to write, "" = leave the settings file as it is
Var DatabaseGiven     ; 1 when /DB= was on the command line (may be empty: clears it)
Var DatabaseField

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
Page custom DatabasePage DatabasePageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"  ; NSIS 3.08 (Debian 12) has no EnglishBritish

Function .onInit
  SetRegView 64
  SetShellVarContext all
  ; An upgrade goes where the last install went (unless /D= chose elsewhere).
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP}"
    StrCpy $INSTDIR $0
  ${EndIf}
  ; The database location: /DB=<path or URL>, else what the settings file already says.
  StrCpy $DatabaseGiven 0
  ${GetParameters} $0
  Call DatabaseOption
  ${IfNot} ${Errors}
    StrCpy $Database $1
    StrCpy $DatabaseGiven 1
  ${Else}
    ReadINIStr $Database "${SETTINGS_FILE}" "database" "url"
  ${EndIf}
FunctionEnd

; /DB=<path or URL> from the parameters in $0, into $1; the error flag when it is not there.
; Not ${GetOptions}: it ends a value at the next "/", and a URL is full of them. The value
; runs to the next " /" (another option) or the end; quotes round it are taken off.
; (StrStr finds "/DB=" whatever its case, like the other options.)
Function DatabaseOption
  ClearErrors
  ${StrStr} $1 $0 "/DB="
  ${If} $1 == ""
    SetErrors
    Return
  ${EndIf}
  StrCpy $1 $1 "" 4
  ${StrStr} $2 $1 " /"
  StrLen $3 $2
  StrLen $4 $1
  IntOp $4 $4 - $3
  StrCpy $1 $1 $4
  StrCpy $2 $1 1
  ${If} $2 == '"'
    StrCpy $1 $1 "" 1
  ${EndIf}
  StrCpy $2 $1 1 -1  ; also when the quotes went round the whole option: "/DB=C:\My data\x"
  ${If} $2 == '"'
    StrCpy $1 $1 -1
  ${EndIf}
FunctionEnd

Function DatabasePage
  !insertmacro MUI_HEADER_TEXT "Database" "Where ${APP} keeps its caseload, for every user of this PC."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 36u "A shared database: a PostgreSQL URL, e.g. postgresql+psycopg://debtdesk@db.council.local/debtdesk, or a SQLite file path.$\r$\nLeave empty for each user's own file in their profile (%LOCALAPPDATA%\${APP})."
  Pop $0
  ${NSD_CreateText} 0 40u 100% 12u "$Database"
  Pop $DatabaseField
  ${NSD_CreateLabel} 0 58u 100% 24u "Saved in ${SETTINGS_FILE}; IT can change it there later. Existing databases are never moved or deleted."
  Pop $0
  nsDialogs::Show
FunctionEnd

Function DatabasePageLeave
  ${NSD_GetText} $DatabaseField $Database
  StrCpy $DatabaseGiven 1
FunctionEnd

Section "debtdesk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the bundle whole: a file left from an older build (an Alembic
  ; script above all) must not be picked up by the new one. Only the bundle's own folder.
  ${If} ${FileExists} "$INSTDIR\_internal\base_library.zip"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File "/oname=${APP}.exe" "${DIST}/${EXE}"
  File "/oname=${APP}-cli.exe" "${DIST}/${CLIEXE}"
  File /r "${DIST}/_internal"

  ; The settings file: written only when a location was given (page or /DB=).
  ${If} $DatabaseGiven == 1
    CreateDirectory "${SETTINGS_DIR}"
    WriteINIStr "${SETTINGS_FILE}" "database" "url" "$Database"
  ${EndIf}

  CreateDirectory "$SMPROGRAMS\${APP}"
  CreateShortcut "$SMPROGRAMS\${APP}\${APP}.lnk" "$INSTDIR\${APP}.exe" "" "$INSTDIR\${APP}.exe" 0
  CreateShortcut "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk" "$INSTDIR\uninstall.exe"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$\"$INSTDIR\${APP}.exe$\",0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  ; Only what the installer put here. Not the settings file, not any user's data.
  Delete "$SMPROGRAMS\${APP}\${APP}.lnk"
  Delete "$SMPROGRAMS\${APP}\Uninstall ${APP}.lnk"
  RMDir "$SMPROGRAMS\${APP}"
  ${If} ${FileExists} "$INSTDIR\_internal\base_library.zip"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  Delete "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\${APP}-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"   ; only if empty: anything else someone put there stays
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd
