# Sourced by the scripts of this folder: the toolchain environment, the test-only
# Wine shim, and one cargo call for the Windows target.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
mkdir -p "$HOSO_WIN_DIR"

# The shim DLL (tests only; see prng.c).
if [ ! -f "$HOSO_WINE_SHIM/bcryptprimitives.dll" ]; then
    mkdir -p "$HOSO_WINE_SHIM"
    x86_64-w64-mingw32-gcc-posix -shared -O2 -o "$HOSO_WINE_SHIM/bcryptprimitives.dll" \
        "$root/scripts/windows/prng.c" "$root/scripts/windows/prng.def" -ladvapi32
fi

# The TWAIN data source made for the tests (tests only; see its header). Wine's
# source manager loads its sources from C:\windows\twain_64 by two names only,
# sane.ds and gphoto2.ds: scripts/windows/test puts this one there, in the test
# prefix, in place of Wine's sane.ds (which Debian's Wine cannot load anyway).
export HOSO_TWAIN_TESTDS="$HOSO_WIN_DIR/twain-testds/sane.ds"
testds_src="$root/crates/hoso-scan/tests/twain/testds.c"
if [ ! -f "$HOSO_TWAIN_TESTDS" ] || [ "$testds_src" -nt "$HOSO_TWAIN_TESTDS" ]; then
    mkdir -p "$(dirname "$HOSO_TWAIN_TESTDS")"
    x86_64-w64-mingw32-gcc-posix -shared -O2 -Wall -Wextra -Werror -o "$HOSO_TWAIN_TESTDS" \
        "$testds_src" "$root/crates/hoso-scan/tests/twain/testds.def"
fi

# cargo for the Windows target: std rebuilt from rust-web-src (panic=unwind, as
# the tests need), everything else from Cargo.lock.
wcargo() {
    local sub="$1"; shift
    /usr/bin/cargo "$sub" --locked --target "$HOSO_WIN_TARGET" -Zbuild-std=std,panic_abort "$@"
}
