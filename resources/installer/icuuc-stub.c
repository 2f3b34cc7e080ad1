/* TEST ONLY, never shipped: build-windows.sh compiles this into the Wine test prefix's system32 (see
   docs/windows.md). Real Windows 10/11 has the genuine DLL. */
/* Test-only stub of Windows' system icuuc.dll (present on real Windows 10 1903+,
   missing in Wine). Qt6Core imports 20 ucnv_* symbols for its optional ICU codec
   backend; every converter lookup here fails, so Qt falls back to its built-in codecs. */
#include <stdint.h>
#include <stddef.h>
typedef int UErrorCode;
#define U_FILE_ACCESS_ERROR 4
#define FAIL(e) do { if ((e) && *(e) <= 0) *(e) = U_FILE_ACCESS_ERROR; } while (0)
#define API __declspec(dllexport)
API void *ucnv_open(const char *n, UErrorCode *e) { FAIL(e); return NULL; }
API void ucnv_close(void *c) {}
API void ucnv_reset(void *c) {}
API int32_t ucnv_countAvailable(void) { return 0; }
API const char *ucnv_getAvailableName(int32_t n) { return NULL; }
API const char *ucnv_getName(const void *c, UErrorCode *e) { FAIL(e); return NULL; }
API const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { FAIL(e); return NULL; }
API int8_t ucnv_getMaxCharSize(const void *c) { return 1; }
API int32_t ucnv_fromUCountPending(const void *c, UErrorCode *e) { FAIL(e); return 0; }
API int32_t ucnv_toUCountPending(const void *c, UErrorCode *e) { FAIL(e); return 0; }
API void ucnv_fromUnicode(void *c, char **t, const char *tl, const uint16_t **s, const uint16_t *sl, int32_t *o, int8_t f, UErrorCode *e) { FAIL(e); }
API void ucnv_toUnicode(void *c, uint16_t **t, const uint16_t *tl, const char **s, const char *sl, int32_t *o, int8_t f, UErrorCode *e) { FAIL(e); }
API void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_getToUCallBack(const void *c, void **a, const void **b) { if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_setFromUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e) { FAIL(e); }
API void ucnv_setToUCallBack(void *c, void *n, const void *nc, void **o, const void **oc, UErrorCode *e) { FAIL(e); }
API void ucnv_cbFromUWriteUChars(void *a, const uint16_t **s, const uint16_t *sl, int32_t o, UErrorCode *e) { FAIL(e); }
API void ucnv_cbToUWriteUChars(void *a, const uint16_t *s, int32_t l, int32_t o, UErrorCode *e) { FAIL(e); }
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const uint16_t *u, int32_t l, int32_t cp, int r, UErrorCode *e) { FAIL(e); }
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *b, int32_t l, int r, UErrorCode *e) { FAIL(e); }
