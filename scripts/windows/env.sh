# Sourced by scripts/windows and its Wine runner: the cross toolchain and the
# Wine prefix of the Windows build. The Linux build keeps rustup's toolchain;
# this one is Debian's Rust 1.96 (rustc-web, cargo-web, rust-web-src), which
# rebuilds std for the target (rustup cannot add targets here).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export HOSO_WIN_TARGET=x86_64-pc-windows-gnu
export HOSO_WIN_DIR="$root/target/windows"
export CARGO_TARGET_DIR="$HOSO_WIN_DIR/cargo"
export PATH="/usr/bin:$PATH"
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
unset RUSTUP_TOOLCHAIN
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++-posix
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$root/scripts/windows/wine-run"
# Wine: a private prefix, quiet, the test-only shim folder on its DLL search path.
export WINEPREFIX="$HOSO_WIN_DIR/wineprefix"
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export HOSO_WINE=/usr/lib/wine/wine64
export HOSO_WINE_SHIM="$HOSO_WIN_DIR/wine-shim"
# A Linux path as Wine's Windows programs see it (Z: is the Linux root).
winpath() { local p="$1"; echo "Z:${p//\//\\}"; }

# A Wine prefix for unattended runs, set in its registry (harness only):
# - the null graphics driver, so that programs can make windows (the TWAIN
#   source manager needs one) without a display, and none is shown;
# - no debugger on a crash: Wine ignores SetErrorMode(SEM_NOGPFAULTERRORBOX)
#   and would start winedbg, which keeps the crashed process (and its pipes)
#   alive; Windows honours the mode and ends the process.
wine_headless() {
    "$HOSO_WINE" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f >/dev/null 2>&1
    "$HOSO_WINE" reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\AeDebug' \
        /v Debugger /d '' /f >/dev/null 2>&1
}
