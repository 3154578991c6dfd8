/* Test-only stand-in for Windows 10's bcryptprimitives.dll, which Wine 8.0 lacks:
 * Rust's std imports ProcessPrng from it, and without it every Rust program exits
 * at start-up under Wine (status 0xc0000135). Built by scripts/windows into the
 * Windows target folder and put on WINEPATH by the test runner; never shipped
 * (Windows 10 and 11 have the real DLL, and the installer does not include it). */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE out, SIZE_T len)
{
    while (len) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(out, chunk))
            return FALSE;
        out += chunk;
        len -= chunk;
    }
    return TRUE;
}
