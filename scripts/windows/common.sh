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

# cargo for the Windows target: std rebuilt from rust-web-src (panic=unwind, as
# the tests need), everything else from Cargo.lock.
wcargo() {
    local sub="$1"; shift
    /usr/bin/cargo "$sub" --locked --target "$HOSO_WIN_TARGET" -Zbuild-std=std,panic_abort "$@"
}
