; HoSo Intake for Windows: the NSIS installer, built on Linux by
; scripts/windows/installer with Debian's makensis (Tauri's own NSIS bundler
; downloads plugins at build time and fails offline). No plugin beyond what
; NSIS ships is used.
;
; Defines given by the build script: VERSION, STAGE (the folder of staged
; files), OUTFILE.
;
; Silent install for IT: setup.exe /S   (optionally /D=C:\Path as the last argument)
; Silent uninstall:      "%ProgramFiles%\HoSo Intake\uninstall.exe" /S
; The uninstaller removes the program and keeps every record, the machine
; configuration in %ProgramData%\HoSo and each user's store.

; A 64-bit installer for a 64-bit program (and Wine's 64-bit loader runs it in
; the tests; a 32-bit NSIS stub would need Wine's 32-bit part).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel admin
ManifestDPIAware true

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!define PRODUCT "HoSo Intake"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\HoSoIntake"
; The Evergreen WebView2 Runtime's client id (per machine, 64-bit Windows).
!define WEBVIEW2_KEY "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString NeedsX64 ${LANG_VIETNAMESE} "HoSo Intake cần Windows 64-bit."
LangString NeedsX64 ${LANG_ENGLISH} "HoSo Intake needs 64-bit Windows."
LangString NoWebView2 ${LANG_VIETNAMESE} "Chưa có Microsoft Edge WebView2 Runtime: ứng dụng máy tính HoSo cần nó để mở cửa sổ. Lệnh hoso.exe vẫn dùng được. Bộ phận CNTT cài WebView2 Runtime (Evergreen) rồi mở lại ứng dụng."
LangString NoWebView2 ${LANG_ENGLISH} "Microsoft Edge WebView2 Runtime is missing: the HoSo desktop app needs it to open its window. The hoso.exe command works without it. IT: install the WebView2 Runtime (Evergreen), then start the app again."

Function .onInit
    ${IfNot} ${RunningX64}
        MessageBox MB_OK|MB_ICONSTOP "$(NeedsX64)" /SD IDOK
        Abort
    ${EndIf}
    SetRegView 64
FunctionEnd

Section "HoSo Intake" Main
    SectionIn RO
    SetShellVarContext all
    SetOutPath "$INSTDIR"
    File "${STAGE}\hoso.exe"
    ; TWAIN drivers run in this helper, never in the app (hoso-scan::worker);
    ; x86\ holds its 32-bit build, for drivers that exist in 32 bits only.
    File "${STAGE}\hoso-scan-worker.exe"
    SetOutPath "$INSTDIR\x86"
    File "${STAGE}\x86\hoso-scan-worker.exe"
    SetOutPath "$INSTDIR"
    ; The desktop app and the WebView2 loader it links (Microsoft's
    ; redistributable, from the WebView2 SDK that webview2-com-sys carries).
    File "${STAGE}\hoso-desktop.exe"
    File "${STAGE}\WebView2Loader.dll"
    File "${STAGE}\README-IT.md"
    File "${STAGE}\config.toml.example"
    ; Tesseract and its libraries, loaded at run time from here; Debian's models.
    SetOutPath "$INSTDIR\tesseract"
    File /r "${STAGE}\tesseract\*.*"
    SetOutPath "$INSTDIR\tessdata"
    File "${STAGE}\tessdata\*.traineddata"
    SetOutPath "$INSTDIR\fonts"
    File "${STAGE}\fonts\*.*"

    ; The machine configuration: installed once from the template, never
    ; overwritten (IT's edits survive upgrades).
    CreateDirectory "$APPDATA\HoSo"
    ${IfNot} ${FileExists} "$APPDATA\HoSo\config.toml"
        CopyFiles /SILENT "$INSTDIR\config.toml.example" "$APPDATA\HoSo\config.toml"
    ${EndIf}

    ; Start menu.
    CreateDirectory "$SMPROGRAMS\${PRODUCT}"
    CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\hoso-desktop.exe"
    ; And on the shared desktop, where a clerk looks first.
    CreateShortcut "$DESKTOP\${PRODUCT}.lnk" "$INSTDIR\hoso-desktop.exe"
    CreateShortcut "$SMPROGRAMS\${PRODUCT}\HoSo doctor.lnk" "$SYSDIR\cmd.exe" '/k "$INSTDIR\hoso.exe" doctor'
    CreateShortcut "$SMPROGRAMS\${PRODUCT}\IT guide.lnk" "$INSTDIR\README-IT.md"

    ; Uninstaller and its entry in Settings > Apps.
    WriteUninstaller "$INSTDIR\uninstall.exe"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "HoSo Intake"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1

    ; The desktop app's window is WebView2: say so plainly when it is missing.
    ReadRegStr $0 HKLM "${WEBVIEW2_KEY}" "pv"
    ${If} $0 == ""
        ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}" "pv"
    ${EndIf}
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        DetailPrint "$(NoWebView2)"
        FileOpen $1 "$INSTDIR\WEBVIEW2-MISSING.txt" w
        FileWrite $1 "$(NoWebView2)"
        FileClose $1
        MessageBox MB_OK|MB_ICONEXCLAMATION "$(NoWebView2)" /SD IDOK
    ${Else}
        Delete "$INSTDIR\WEBVIEW2-MISSING.txt"
    ${EndIf}
SectionEnd

Function un.onInit
    SetRegView 64
FunctionEnd

Section "Uninstall"
    SetShellVarContext all
    ; The program only: records, %ProgramData%\HoSo and users' stores stay.
    Delete "$INSTDIR\hoso.exe"
    Delete "$INSTDIR\hoso-scan-worker.exe"
    RMDir /r "$INSTDIR\x86"
    Delete "$INSTDIR\hoso-desktop.exe"
    Delete "$INSTDIR\WebView2Loader.dll"
    Delete "$DESKTOP\${PRODUCT}.lnk"
    Delete "$INSTDIR\README-IT.md"
    Delete "$INSTDIR\config.toml.example"
    Delete "$INSTDIR\WEBVIEW2-MISSING.txt"
    RMDir /r "$INSTDIR\tesseract"
    RMDir /r "$INSTDIR\tessdata"
    RMDir /r "$INSTDIR\fonts"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    RMDir /r "$SMPROGRAMS\${PRODUCT}"
    DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
