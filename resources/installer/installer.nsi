; 支部台账 (Branch Ledger) — per-user Windows installer. UTF-8 with BOM; built on Linux by build-windows.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DDISTDIR=<onedir> -DOUTFILE=<setup.exe> \
;            -DICON=resources/icons/app.ico [-DFILELIST=<files.nsh>] resources/installer/installer.nsi
;
; No admin rights: installs into %LOCALAPPDATA%\Programs\BranchLedger and writes only HKCU. The user's ledgers
; and snapshots live in %LOCALAPPDATA%\BranchLedger (db/paths.py) and are never touched by install, upgrade or
; uninstall. Installing over an older version replaces the program files only; the ledger migrates (with its
; backup copy) when the new version opens it.
;
; Silent use:  BranchLedger-<v>-setup.exe /S [/NODESKTOP] [/D=C:\other\folder]     (/D must come last)
;              "%LOCALAPPDATA%\Programs\BranchLedger\Uninstall.exe" /S

Target amd64-unicode   ; 64-bit stub: Debian's makensis ships it, and the x86 stub needs wine32 to test
!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!ifndef VERSION4
  !define VERSION4 "${VERSION}.0"
!endif
; default paths are relative to this folder: makensis changes into it
!ifndef DISTDIR
  !define DISTDIR "../../build/windows/dist/BranchLedger"
!endif
!ifndef OUTFILE
  !define OUTFILE "../../dist/BranchLedger-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "../icons/app.ico"
!endif
!ifndef BITMAPS
  !define BITMAPS "."   ; side.bmp and header.bmp, drawn by make_icon.py
!endif

!define APPNAME "BranchLedger"            ; folder, registry and file names: ASCII
!define TITLE "支部台账"                   ; what the user sees
!define EXE "BranchLedger.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPNAME}"
!define APPKEY "Software\${APPNAME}"
!define DATADIR "$LOCALAPPDATA\${APPNAME}"

Name "${TITLE}" "${TITLE}"
Caption "${TITLE} ${VERSION} 安装"
UninstallCaption "${TITLE} 卸载"
BrandingText "${TITLE} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "${APPKEY}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64
SetDateSave off        ; no build-time file dates in setup.exe: one source, one setup.exe (docs/windows.md)
ManifestDPIAware true
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${TITLE}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${TITLE} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${TITLE}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${TITLE}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinVer.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEFINISHPAGE_BITMAP "${BITMAPS}/side.bmp"
!define MUI_UNWELCOMEFINISHPAGE_BITMAP "${BITMAPS}/side.bmp"
!define MUI_HEADERIMAGE
!define MUI_HEADERIMAGE_RIGHT
!define MUI_HEADERIMAGE_BITMAP "${BITMAPS}/header.bmp"
!define MUI_HEADERIMAGE_UNBITMAP "${BITMAPS}/header.bmp"
!define MUI_ABORTWARNING_TEXT "确定要退出${TITLE}安装程序吗？"

!define MUI_WELCOMEPAGE_TITLE "欢迎安装${TITLE} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${TITLE}帮助党支部书记记录和整理党员名册、三会一课、党费和发展党员台账，全部保存在本机，不需要联网。$\r$\n$\r$\n本程序只为当前用户安装，不需要管理员权限。$\r$\n$\r$\n如果电脑上已经装有旧版本，新版本会直接替换它，您的台账和快照都会保留。$\r$\n$\r$\n点击“下一步”继续。"
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "${TITLE}已安装完成"
!define MUI_FINISHPAGE_TEXT "可以从“开始”菜单打开${TITLE}。$\r$\n$\r$\n您的台账和快照保存在：$\r$\n${DATADIR}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${TITLE}"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从这台电脑上删除${TITLE}程序。$\r$\n您的台账和快照（${DATADIR}）会保留，不会删除；重新安装后可以继续使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; ------------------------------------------------------------------------------------------------- helpers
; Stop when the app (or the ledger command) is still running: its files cannot be replaced or removed.
!macro RemoveExe un path
  ${If} ${FileExists} "${path}"
    ${Do}
      ClearErrors
      Delete "${path}"
      ${IfNot} ${Errors}
        ${Break}
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${TITLE}正在运行（${path}）。$\r$\n请先关闭它，再点“重试”。" /SD IDCANCEL IDRETRY +2
      Abort "${TITLE}正在运行，未做任何更改。"
    ${Loop}
  ${EndIf}
!macroend

; The program files this installer owns. Never `RMDir /r $INSTDIR`: the user may have chosen a folder that
; holds other things, and a `data` folder (portable mode) next to the exe must survive too.
!macro RemoveProgramFiles un
  !insertmacro RemoveExe "${un}" "$INSTDIR\${EXE}"
  !insertmacro RemoveExe "${un}" "$INSTDIR\ledger.exe"
  RMDir /r "$INSTDIR\_internal"
!macroend

Function DirectoryLeave
  ; Without admin rights, folders such as C:\Program Files cannot be written: say so before copying.
  ClearErrors
  CreateDirectory "$INSTDIR"
  FileOpen $0 "$INSTDIR\.write-test" w
  ${If} ${Errors}
    MessageBox MB_ICONEXCLAMATION "无法写入文件夹：$\r$\n$INSTDIR$\r$\n$\r$\n请选择您有权限写入的文件夹，例如默认位置。" /SD IDOK
    Abort
  ${EndIf}
  FileClose $0
  Delete "$INSTDIR\.write-test"
FunctionEnd

; ------------------------------------------------------------------------------------------------- install
Section "${TITLE}程序（必需）" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an upgrade: remove the old version's program files first, so no stale module of it stays behind
  !insertmacro RemoveProgramFiles ""
!ifdef FILELIST
  ; every file of the onedir by name, in a fixed order (nsis_files.py: by extension, then path): the same
  ; folder gives the same setup.exe, whatever order the file system lists it in
  !include "${FILELIST}"
  SetOutPath "$INSTDIR"
!else
  File /r "${DISTDIR}\*"
!endif
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${TITLE}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${TITLE}"

  WriteRegStr HKCU "${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APPKEY}" "Version" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${TITLE}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${TITLE}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
  DetailPrint "台账和快照保存在 ${DATADIR}"
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortcut "$DESKTOP\${TITLE}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "${TITLE}"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMain} "${TITLE}程序、“开始”菜单快捷方式和命令行工具 ledger.exe。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在桌面上放一个“${TITLE}”图标。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; after the sections: it refers to ${SecDesktop}
Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${TITLE}需要 64 位的 Windows 10 或 Windows 11。" /SD IDOK
    Abort
  ${EndIf}
  SetShellVarContext current
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}
FunctionEnd

; ----------------------------------------------------------------------------------------------- uninstall
Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "Uninstall"
  !insertmacro RemoveProgramFiles "un."
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"   ; only if empty
  Delete "$SMPROGRAMS\${TITLE}.lnk"
  Delete "$DESKTOP\${TITLE}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "${APPKEY}"
  DetailPrint "已保留您的台账和快照：${DATADIR}"
SectionEnd
