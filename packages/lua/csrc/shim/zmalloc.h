/* mini-redis: sds.c's allocator (zmalloc) mapped onto libc malloc inside the wasm module. */
#ifndef MINI_REDIS_ZMALLOC_SHIM_H
#define MINI_REDIS_ZMALLOC_SHIM_H
#include <stdlib.h>
#include <malloc.h>
#define zmalloc malloc
#define zrealloc realloc
#define ztrymalloc malloc
#define ztryrealloc realloc
#define zfree free
static inline void *zmalloc_usable(size_t n, size_t *usable) { void *p = malloc(n); if (usable) *usable = p ? malloc_usable_size(p) : 0; return p; }
static inline void *zrealloc_usable(void *q, size_t n, size_t *usable) { void *p = realloc(q, n); if (usable) *usable = p ? malloc_usable_size(p) : 0; return p; }
#define ztrymalloc_usable zmalloc_usable
#define ztryrealloc_usable zrealloc_usable
static inline void zfree_usable(void *p, size_t *usable) { if (usable) *usable = p ? malloc_usable_size(p) : 0; free(p); }
#define zmalloc_size malloc_usable_size
#endif
