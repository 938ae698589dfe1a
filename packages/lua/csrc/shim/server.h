/* mini-redis: the few server.h definitions that the vendored resp_parser.c needs. */
#ifndef MINI_REDIS_SERVER_SHIM_H
#define MINI_REDIS_SERVER_SHIM_H
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#define UNUSED(V) ((void) V)
#define C_OK 0
#define C_ERR -1
#define MAX_LONG_DOUBLE_CHARS 5*1024
#define LONG_STR_SIZE 21
int string2ll(const char *s, size_t slen, long long *value);
#endif
