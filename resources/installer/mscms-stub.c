/* TEST ONLY, never shipped: build-windows.sh compiles this into the Wine test prefix's system32 (see
   docs/windows.md). Real Windows 10/11 has the genuine DLL. */
/* Test-only: Wine 8 lacks mscms.WcsCreateIccProfile, which Qt's qwindows plugin calls. Every call fails,
   so Qt treats the screen as having no colour profile (sRGB). */
#include <windows.h>
#define API __declspec(dllexport)
API HANDLE WINAPI OpenColorProfileW(void *p, DWORD a, DWORD s, DWORD c) { SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
API BOOL WINAPI CloseColorProfile(HANDLE h) { return TRUE; }
API BOOL WINAPI GetColorProfileFromHandle(HANDLE h, BYTE *b, DWORD *n) { SetLastError(ERROR_NOT_SUPPORTED); return FALSE; }
API HANDLE WINAPI WcsCreateIccProfile(HANDLE h, DWORD f) { SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
