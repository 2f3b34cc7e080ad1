/* TEST ONLY, never shipped: build-windows.sh compiles this into the Wine test prefix's system32 (see
   docs/windows.md). Real Windows 10/11 has the genuine DLL. */
/* Wine 8 has no bcryptprimitives.dll. rpds-py (jsonschema's Rust core) is built with Rust >= 1.78, whose std
   takes its random seed from bcryptprimitives.ProcessPrng (Windows 10 and later), so without it
   `import rpds` fails with "DLL load failed ... Module not found". This stub fills the buffer from
   bcrypt's system RNG, which Wine implements. */
#include <windows.h>
#include <bcrypt.h>
#define API __declspec(dllexport)
API BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
