; debtdesk - Windows installer (NSIS 3.08+, Unicode). Built over PyInstaller's dist\debtdesk.
;
;   makensis -DVERSION=0.1.0 installer\debtdesk.nsi            -> dist\debtdesk-0.1.0-setup.exe
;   makensis works in this script's folder, so relative paths are from installer/.
;   optional: -DDIST=<folder>   the one-folder bundle (default ../dist/debtdesk)
;             -DEXE=<name>      its windowed program (default debtdesk.exe; CI on Linux: debtdesk)
;             -DCLIEXE=<name>   its console program (default debtdesk-cli.exe; CI on Linux: debtdesk)
;             -DAMD64           a 64-bit installer (needs NSIS with amd64 stubs, as Debian's;
;                               the Windows releases from nsis.sourceforge.io have only x86)
;             -DNOCOMPRESS      no compression (CI only proves the script compiles)
;             -DSIGN=<command>  signs the installer and the uninstaller, "%1" is the file, e.g.
;                               -DSIGN="signtool sign /fd sha256 /tr http://ts.example /td sha256 /a"
;
; Per-machine install into Program Files, Start-menu entries, an uninstaller registered under
; HKLM\...\Uninstall\debtdesk. The database location IT chooses (a PostgreSQL URL, or a SQLite
; file on the PC; empty = each user chooses) goes to %ProgramData%\debtdesk\debtdesk.ini,
; [database] url, from the "Database" page or, silently, /DB=<location>:
;   debtdesk-0.1.0-setup.exe /S /DB=postgresql+psycopg://debtdesk@db.council.local/debtdesk
; Nothing of the user's is ever removed: not %LOCALAPPDATA%\debtdesk (the databases, their
; backups, the documents folder), not the settings file, on upgrade or on uninstall.
;
; Exit codes (installer/README.md): 0 done; 1 cancelled; 2 aborted (a file could not be
; written); and, before anything of the program is changed: 3 debtdesk is running, 4 a newer
; debtdesk is installed, 5 not 64-bit Windows, 6 the settings folder could not be locked,
; 7 the settings file could not be written. The uninstaller: 0, 1, 2, 3.

; By default a 32-bit (x86) installer, which every NSIS for Windows can build; it installs the
; 64-bit bundle into the 64-bit Program Files and registry, and refuses 32-bit Windows.
!ifdef AMD64
  Target amd64-unicode
!else
  Unicode true
!endif
ManifestDPIAware true
AllowSkipFiles off  ; a file that cannot be written stops the install: never a half-old bundle

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

; Exit codes of our own (NSIS' are 0, 1 and 2): refusals before anything of the program is
; changed.
!define EXIT_RUNNING 3
!define EXIT_NEWER_INSTALLED 4
!define EXIT_NOT_X64 5
!define EXIT_SETTINGS_FOLDER 6
!define EXIT_SETTINGS_FILE 7

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WordFunc.nsh"
!include "x64.nsh"
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

Var Database          ; the location to write when DatabaseGiven is 1
Var DatabaseRead      ; what the settings file said when the installer started
Var DatabaseOnCommandLine  ; 1 when /DB= was given (may be empty: clears it)
Var DatabaseGiven     ; 1: write the settings file afresh with $Database; 0: leave it alone
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
  SetShellVarContext all
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP} needs 64-bit Windows." /SD IDOK
    SetErrorLevel ${EXIT_NOT_X64}
    Abort
  ${EndIf}
  SetRegView 64
  ; No going back: a newer debtdesk may have migrated the database, which this one would
  ; then refuse to open. (The same version again is a repair, and goes ahead.)
  ReadRegStr $0 HKLM "${UNINST_KEY}" "DisplayVersion"
  ${If} $0 != ""
    ${VersionCompare} "${VERSION}" "$0" $1
    ${If} $1 == 2
      MessageBox MB_OK|MB_ICONSTOP "${APP} $0 is installed; this installer is the older ${VERSION}, \
        and cannot go back: $0 may already have migrated the database, which ${VERSION} would \
        refuse to open.$\r$\n$\r$\nNothing was changed. Install $0 or a newer version." /SD IDOK
      SetErrorLevel ${EXIT_NEWER_INSTALLED}
      Abort
    ${EndIf}
  ${EndIf}
  ; An upgrade goes where the last install went (unless /D= chose elsewhere).
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIf} $INSTDIR == "$PROGRAMFILES64\${APP}"
    StrCpy $INSTDIR $0
  ${EndIf}
  ; The database location: /DB=<path or URL>, else what the settings file already says.
  Call ReadSettings
  StrCpy $Database $DatabaseRead
  StrCpy $DatabaseGiven 0
  StrCpy $DatabaseOnCommandLine 0
  ${GetParameters} $0
  Call DatabaseOption
  ${IfNot} ${Errors}
    StrCpy $Database $1
    StrCpy $DatabaseGiven 1
    StrCpy $DatabaseOnCommandLine 1
  ${EndIf}
FunctionEnd

; $DatabaseRead := the settings file's [database] url ("" when there is none).
; Windows' INI functions read the file as ANSI text, so a UTF-8 byte-order mark (Notepad's)
; hides the first [database]: read a copy whose mark is made an empty comment line (";" CR LF,
; three bytes too). The app itself reads UTF-8, with or without the mark.
Function ReadSettings
  StrCpy $DatabaseRead ""
  StrCpy $0 "${SETTINGS_FILE}"
  ClearErrors
  FileOpen $1 "${SETTINGS_FILE}" r
  ${If} ${Errors}
    Return  ; no file
  ${EndIf}
  FileReadByte $1 $2
  FileReadByte $1 $3
  FileReadByte $1 $4
  FileClose $1
  ${If} "$2 $3 $4" == "239 187 191"
    InitPluginsDir
    StrCpy $0 "$PLUGINSDIR\settings.ini"
    CopyFiles /SILENT "${SETTINGS_FILE}" "$0"
    FileOpen $1 "$0" a
    FileSeek $1 0 SET
    FileWriteByte $1 59
    FileWriteByte $1 13
    FileWriteByte $1 10
    FileClose $1
  ${EndIf}
  ReadINIStr $DatabaseRead "$0" "database" "url"
FunctionEnd

; /DB=<path or URL> from the parameters in $0, into $1; the error flag when it is not there.
; Not ${GetOptions}: it ends a value at the next "/", and a URL is full of them.
;   /DB="C:\My data\x.sqlite"   quoted: the value runs to the closing quote, " /" and all
;   "/DB=C:\My data\x.sqlite"   the same (how Windows tools quote an argument with a space)
;   /DB=postgresql://h/d /S     unquoted: it runs to the next " /" (another option) or the end
; (StrStr finds "/DB=" whatever its case, like the other options.)
Function DatabaseOption
  ClearErrors
  ${StrStr} $1 $0 "/DB="
  ${If} $1 == ""
    SetErrors
    Return
  ${EndIf}
  StrLen $2 $0
  StrLen $3 $1
  IntOp $2 $2 - $3  ; where "/DB=" begins in $0
  StrCpy $4 ""      ; the quote the value is in, if any: just before "/DB=" ...
  ${If} $2 > 0
    IntOp $2 $2 - 1
    StrCpy $4 $0 1 $2
  ${EndIf}
  StrCpy $1 $1 "" 4
  StrCpy $3 $1 1    ; ... or just after it
  ${If} $3 == '"'
    StrCpy $4 '"'
    StrCpy $1 $1 "" 1
  ${EndIf}
  ${If} $4 == '"'
    ${StrStr} $2 $1 '"'
  ${Else}
    ${StrStr} $2 $1 " /"
  ${EndIf}
  StrLen $3 $2
  StrLen $4 $1
  IntOp $4 $4 - $3
  StrCpy $1 $1 $4
FunctionEnd

Function DatabasePage
  !insertmacro MUI_HEADER_TEXT "Database" "Where ${APP} keeps its caseload, for every user of this PC."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 44u "A team's shared database: a PostgreSQL URL, e.g. postgresql+psycopg://debtdesk@db.council.local/debtdesk. Or a SQLite file on this PC (never one on a network drive).$\r$\nLeave empty and each user chooses: the database they last opened, else their own file (%LOCALAPPDATA%\${APP})."
  Pop $0
  ${NSD_CreateText} 0 48u 100% 12u "$Database"
  Pop $DatabaseField
  ${NSD_CreateLabel} 0 66u 100% 24u "Saved in ${SETTINGS_FILE}; IT can change it there later. Existing databases are never moved or deleted."
  Pop $0
  nsDialogs::Show
FunctionEnd

; The page writes the settings file only when its value is not what the file said (or /DB=
; gave one): an upgrade clicked through leaves IT's file as it is. S!=: a URL is case-sensitive.
Function DatabasePageLeave
  ${NSD_GetText} $DatabaseField $Database
  StrCpy $DatabaseGiven $DatabaseOnCommandLine
  ${If} $Database S!= $DatabaseRead
    StrCpy $DatabaseGiven 1
  ${EndIf}
FunctionEnd

; Stops while debtdesk runs from $INSTDIR, for any user: Windows does not let a running
; program, or a DLL one has loaded, be opened for writing, so File would fail on it after
; RMDir /r had deleted the files that were not in use. Retry after closing it; Cancel (and
; a silent run) exits with ${EXIT_RUNNING}, nothing changed.
!macro _OPEN_FOR_WRITING path
  ${If} $R0 == ""
  ${AndIf} ${FileExists} "${path}"
    ClearErrors
    FileOpen $R3 "${path}" a
    ${If} ${Errors}
      StrCpy $R0 "${path}"
    ${Else}
      FileClose $R3
    ${EndIf}
  ${EndIf}
!macroend
!macro REFUSE_WHILE_RUNNING un
  Function ${un}RefuseWhileRunning
    retry:
    StrCpy $R0 ""  ; the first file of the bundle in use
    FindFirst $R1 $R2 "$INSTDIR\_internal\python3*.dll"
    ${DoWhile} $R2 != ""
      !insertmacro _OPEN_FOR_WRITING "$INSTDIR\_internal\$R2"
      FindNext $R1 $R2
    ${Loop}
    FindClose $R1
    !insertmacro _OPEN_FOR_WRITING "$INSTDIR\${APP}.exe"
    !insertmacro _OPEN_FOR_WRITING "$INSTDIR\${APP}-cli.exe"
    ${If} $R0 != ""
      DetailPrint "In use: $R0"
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP} is open on this computer ($R0 is in \
        use).$\r$\n$\r$\nClose it, for every user signed in to this PC (and any scheduled \
        ${APP}-cli task), then choose Retry. Cancel changes nothing." /SD IDCANCEL IDRETRY retry
      SetErrorLevel ${EXIT_RUNNING}
      Abort "${APP} is running: nothing was changed."
    ${EndIf}
  FunctionEnd
!macroend
!insertmacro REFUSE_WHILE_RUNNING ""
!insertmacro REFUSE_WHILE_RUNNING "un."

; Runs icacls with the arguments given; a failure stops the install (${EXIT_SETTINGS_FOLDER}).
!macro ICACLS args
  nsExec::ExecToLog '"$SYSDIR\icacls.exe" ${args}'
  Pop $0
  ${If} $0 != 0
    DetailPrint `icacls ${args}: exit code $0`
    MessageBox MB_OK|MB_ICONSTOP "The settings folder ${SETTINGS_DIR} could not be locked \
      (icacls exit code $0), so any user of this PC could choose the database for all of \
      them.$\r$\n$\r$\nNothing else was changed." /SD IDOK
    SetErrorLevel ${EXIT_SETTINGS_FOLDER}
    Abort "The settings folder could not be locked."
  ${EndIf}
!macroend

; %ProgramData%\debtdesk, where IT's settings file is, made writable by administrators only:
; ProgramData lets any user create a folder, and a settings file planted there would choose
; the database for everyone. The folder is made (also when no location is given) and owned
; by Administrators, and its ACL replaced by Administrators and SYSTEM full control, Users
; read (SIDs, so any language of Windows); a settings file already there is given the same
; owner and the folder's ACL. icacls is part of every Windows since Vista: if it fails, the
; folder could not be made safe and the install stops before anything else is changed.
Function LockSettingsFolder
  CreateDirectory "${SETTINGS_DIR}"
  !insertmacro ICACLS '"${SETTINGS_DIR}" /setowner *S-1-5-32-544'
  !insertmacro ICACLS '"${SETTINGS_DIR}" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F \
    *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
  ${If} ${FileExists} "${SETTINGS_FILE}"
    !insertmacro ICACLS '"${SETTINGS_FILE}" /setowner *S-1-5-32-544'
    !insertmacro ICACLS '"${SETTINGS_FILE}" /reset'
  ${EndIf}
FunctionEnd

; The settings file written afresh with $Database: no byte-order mark, second [database] or
; other leftover of an earlier file can survive (Windows' WriteINIStr, given a UTF-8 file with
; a mark, does not see its first section and appends another). Written beside it first, so a
; failure (${EXIT_SETTINGS_FILE}) leaves the old file as it was.
Function WriteSettings
  StrCpy $1 "${SETTINGS_FILE}.new"
  StrCpy $2 0  ; 1 when a step failed (${Errors} clears the error flag it tests)
  Delete "$1"
  ClearErrors
  FileOpen $0 "$1" w
  IfErrors 0 +2
    StrCpy $2 1
  ${If} $2 == 0
    FileWrite $0 "; ${APP}: the database every user of this PC opens. Empty: each user chooses \
      their own. installer/README.md$\r$\n"
    FileClose $0
    WriteINIStr "$1" "database" "url" "$Database"
    IfErrors 0 +2
      StrCpy $2 1
    FlushINI "$1"  ; on disk before the rename (Windows then returns FALSE, so: the error flag)
    ClearErrors
  ${EndIf}
  ${If} $2 == 0
    Delete "${SETTINGS_FILE}"
    Rename "$1" "${SETTINGS_FILE}"
    IfErrors 0 +2
      StrCpy $2 1
  ${EndIf}
  ${If} $2 == 1
    Delete "$1"
    DetailPrint "Could not write ${SETTINGS_FILE}"
    MessageBox MB_OK|MB_ICONSTOP "The settings file ${SETTINGS_FILE} could not be \
      written.$\r$\n$\r$\nThe program was not installed or changed." /SD IDOK
    SetErrorLevel ${EXIT_SETTINGS_FILE}
    Abort "The settings file could not be written."
  ${EndIf}
  DetailPrint "${SETTINGS_FILE}: [database] url=$Database"
FunctionEnd

Section "debtdesk" SecMain
  SectionIn RO
  ; Everything that can refuse comes before anything of the bundle is changed.
  Call RefuseWhileRunning
  Call LockSettingsFolder
  ${If} $DatabaseGiven == 1
    Call WriteSettings
  ${EndIf}

  SetOutPath "$INSTDIR"
  ; An upgrade replaces the bundle whole: a file left from an older build (an Alembic
  ; script above all) must not be picked up by the new one. Only the bundle's own folder.
  ${If} ${FileExists} "$INSTDIR\_internal\base_library.zip"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File "/oname=${APP}.exe" "${DIST}/${EXE}"
  File "/oname=${APP}-cli.exe" "${DIST}/${CLIEXE}"
  File /r "${DIST}/_internal"

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
  Call un.RefuseWhileRunning
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
