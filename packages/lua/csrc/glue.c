/*
 * mini-redis: the script <-> Redis glue of Redis 7.0.15, ported into the wasm module.
 *
 * Most functions below are copied from Redis 7.0.15 (Debian 7.0.15-1~deb12u10) src/script_lua.c, src/eval.c,
 * src/function_lua.c, src/functions.c and src/networking.c (BSD-3-Clause, Copyright (c) 2009-2021, Redis Ltd.),
 * with the server parts replaced by calls to JS imports:
 *   - the reply of redis.call comes from host_call() as RESP bytes and goes through Redis's resp_parser.c and
 *     redisProtocolToLuaType_*() unchanged;
 *   - the script's return value goes through luaReplyToRedisReply() unchanged into a small reply buffer that
 *     implements the addReply*() functions of networking.c for RESP2 and RESP3;
 *   - scripts run in a coroutine, so that the instruction-count hook can yield to JS (host_check() answers 2):
 *     this replaces lua_pcall(), and __redis__err__handler's work is done in C after the coroutine died
 *     (mrErrorHandler, same fields and lines).
 * Differences from Redis are marked "mini-redis:".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <stdarg.h>
#include <math.h>
#include <emscripten.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"
#include "lstate.h"
#include "sds.h"
#include "sha1.h"
#include "rand.h"
#include "resp_parser.h"

#ifndef UNUSED
#define UNUSED(V) ((void) V)
#endif
#define C_OK 0
#define C_ERR -1

#define LL_DEBUG 0
#define LL_VERBOSE 1
#define LL_NOTICE 2
#define LL_WARNING 3

#define PROPAGATE_NONE 0
#define PROPAGATE_AOF 1
#define PROPAGATE_REPL 2

#define SCRIPT_FLAG_NO_WRITES        (1ULL<<0)
#define SCRIPT_FLAG_ALLOW_OOM        (1ULL<<1)
#define SCRIPT_FLAG_ALLOW_STALE      (1ULL<<2)
#define SCRIPT_FLAG_NO_CLUSTER       (1ULL<<3)
#define SCRIPT_FLAG_EVAL_COMPAT_MODE (1ULL<<4)
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1ULL<<5)

#define REDIS_VERSION "7.0.15"
#define REDIS_VERSION_NUM 0x0007000f
#define REDIS_API_NAME "redis"
#define REGISTRY_RUN_CTX_NAME "__RUN_CTX__"
#define REGISTRY_ERROR_HANDLER_NAME "__ERROR_HANDLER__"
#define REGISTRY_LOAD_CTX_NAME "__LIBRARY_CTX__"
#define LIBRARY_API_NAME "__LIBRARY_API__"
#define GLOBALS_API_NAME "__GLOBALS_API__"

typedef struct scriptFlag { uint64_t flag; const char *str; } scriptFlag;
static scriptFlag scripts_flags_def[] = {
    {.flag = SCRIPT_FLAG_NO_WRITES, .str = "no-writes"},
    {.flag = SCRIPT_FLAG_ALLOW_OOM, .str = "allow-oom"},
    {.flag = SCRIPT_FLAG_ALLOW_STALE, .str = "allow-stale"},
    {.flag = SCRIPT_FLAG_NO_CLUSTER, .str = "no-cluster"},
    {.flag = SCRIPT_FLAG_ALLOW_CROSS_SLOT, .str = "allow-cross-slot-keys"},
    {.flag = 0, .str = NULL},
};

/* sha1hex() from Redis 7.0.15 src/debug.c. */
static void sha1hex(char *digest, char *script, size_t len) {
    SHA1_CTX ctx;
    unsigned char hash[20];
    char *cset = "0123456789abcdef";
    int j;

    SHA1Init(&ctx);
    SHA1Update(&ctx,(unsigned char*)script,len);
    SHA1Final(hash,&ctx);

    for (j = 0; j < 20; j++) {
        digest[j*2] = cset[((hash[j]&0xF0)>>4)];
        digest[j*2+1] = cset[(hash[j]&0xF)];
    }
    digest[40] = '\0';
}

/* ---------------------------------------------------------------------------
 * JS imports (see src/engine.ts).
 * ------------------------------------------------------------------------- */
/* Runs one redis.call: argv serialised as u32 argc, then u32 len + bytes per argument. Returns the length of the
 * RESP reply, which host_read() then copies into wasm memory. */
extern int host_call(const char *argv, int len, int resp);
/* Copies the pending bytes (a reply, or an error text) to dst. */
extern void host_read(char *dst);
extern int host_acl(const char *argv, int len);
extern void host_log(int level, const char *msg, int len);
/* 0: continue, 1: kill, 2: the host wants to yield (only when can_yield). */
extern int host_check(int can_yield);
/* A function registered by redis.register_function during FUNCTION LOAD: 0 or the length of an error text. */
extern int host_register(const char *name, int name_len, int ref, int flags, const char *desc, int desc_len);
extern void host_panic(const char *msg) __attribute__((noreturn));

/* ---------------------------------------------------------------------------
 * The reply buffer: the addReply*() family of networking.c writing into one growable buffer.
 * ------------------------------------------------------------------------- */
typedef struct client {
    char *buf;
    size_t len, cap;
    int resp;
} client;

static void addReplyProto(client *c, const char *s, size_t len) {
    if (c->len + len > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->len + len) cap *= 2;
        char *nb = realloc(c->buf, cap);
        if (!nb) host_panic("out of memory in the reply buffer");
        c->buf = nb;
        c->cap = cap;
    }
    memcpy(c->buf + c->len, s, len);
    c->len += len;
}

static void addReplyLongLong(client *c, long long ll) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), ":%lld\r\n", ll);
    addReplyProto(c, buf, n);
}

static void addReplyBulkCBuffer(client *c, const void *p, size_t len) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "$%zu\r\n", len);
    addReplyProto(c, buf, n);
    addReplyProto(c, p, len);
    addReplyProto(c, "\r\n", 2);
}

static void addReplyBulkCString(client *c, const char *s) {
    addReplyBulkCBuffer(c, s, strlen(s));
}

static void addReplyNull(client *c) {
    if (c->resp == 2) addReplyProto(c, "$-1\r\n", 5);
    else addReplyProto(c, "_\r\n", 3);
}

static void addReplyBool(client *c, int b) {
    if (c->resp == 2) addReplyProto(c, b ? ":1\r\n" : ":0\r\n", 4);
    else addReplyProto(c, b ? "#t\r\n" : "#f\r\n", 4);
}

static int digits10(unsigned long long v) {
    int n = 1;
    while (v >= 10) { v /= 10; n++; }
    return n;
}

static void addReplyDouble(client *c, double d) {
    if (isinf(d)) {
        if (c->resp == 2) {
            addReplyBulkCString(c, d > 0 ? "inf" : "-inf");
        } else {
            addReplyProto(c, d > 0 ? ",inf\r\n" : ",-inf\r\n", d > 0 ? 6 : 7);
        }
    } else {
        char dbuf[5*1024+32];
        if (c->resp == 2) {
            int dlen = snprintf(dbuf+7,sizeof(dbuf) - 7,"%.17g",d);
            int digits = digits10(dlen);
            int start = 4 - digits;
            dbuf[start] = '$';
            for(int i = digits, val = dlen; val && i > 0 ; --i, val /= 10) {
                dbuf[start + i] = "0123456789"[val % 10];
            }
            dbuf[5] = '\r';
            dbuf[6] = '\n';
            dbuf[dlen+7] = '\r';
            dbuf[dlen+8] = '\n';
            addReplyProto(c,dbuf+start,dlen+9-start);
        } else {
            int dlen = snprintf(dbuf,sizeof(dbuf),",%.17g\r\n",d);
            addReplyProto(c,dbuf,dlen);
        }
    }
}

static void addReplyBigNum(client *c, const char* num, size_t len) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c, num, len);
    } else {
        addReplyProto(c,"(",1);
        addReplyProto(c,num,len);
        addReplyProto(c,"\r\n",2);
    }
}

static void addReplyVerbatim(client *c, const char *s, size_t len, const char *ext) {
    if (c->resp == 2) {
        addReplyBulkCBuffer(c,s,len);
    } else {
        char buf[32];
        size_t preflen = snprintf(buf,sizeof(buf),"=%zu\r\nxxx:",len+4);
        char *p = buf+preflen-4;
        for (int i = 0; i < 3; i++) {
            if (*ext == '\0') {
                p[i] = ' ';
            } else {
                p[i] = *ext++;
            }
        }
        addReplyProto(c,buf,preflen);
        addReplyProto(c,s,len);
        addReplyProto(c,"\r\n",2);
    }
}

static void addReplyStatusLength(client *c, const char *s, size_t len) {
    addReplyProto(c,"+",1);
    addReplyProto(c,s,len);
    addReplyProto(c,"\r\n",2);
}

static void addReplyStatusSafe(client *c, const char *status) {
    sds s = sdsmapchars(sdsnew(status), "\r\n", "  ",  2);
    addReplyStatusLength(c,s,sdslen(s));
    sdsfree(s);
}

static void addReplyErrorLength(client *c, const char *s, size_t len) {
    if (!len || s[0] != '-') addReplyProto(c,"-ERR ",5);
    addReplyProto(c,s,len);
    addReplyProto(c,"\r\n",2);
}

static void addReplyErrorSds(client *c, sds err) {
    addReplyErrorLength(c,err,sdslen(err));
    sdsfree(err);
}

static void addReplyErrorSdsSafe(client *c, sds err) {
    err = sdsmapchars(err, "\r\n", "  ",  2);
    addReplyErrorSds(c, err);
}

static void addReplyErrorFormat(client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap,fmt);
    sds s = sdscatvprintf(sdsempty(),fmt,ap);
    va_end(ap);
    s = sdstrim(s, "\r\n");
    s = sdsmapchars(s, "\r\n", "  ",  2);
    addReplyErrorLength(c,s,sdslen(s));
    sdsfree(s);
}

/* Deferred lengths: the offset where the header goes; the header is inserted when the length is known. */
static void *addReplyDeferredLen(client *c) {
    return (void *)(uintptr_t)(c->len + 1);
}

static void setDeferredAggregateLen(client *c, void *node, long length, char prefix) {
    size_t off = (size_t)(uintptr_t)node - 1;
    char hdr[32];
    int n = snprintf(hdr, sizeof(hdr), "%c%ld\r\n", prefix, length);
    addReplyProto(c, hdr, n); /* grow */
    memmove(c->buf + off + n, c->buf + off, c->len - n - off);
    memcpy(c->buf + off, hdr, n);
}

static void setDeferredArrayLen(client *c, void *node, long length) {
    setDeferredAggregateLen(c,node,length,'*');
}

static void setDeferredMapLen(client *c, void *node, long length) {
    int prefix = c->resp == 2 ? '*' : '%';
    if (c->resp == 2) length *= 2;
    setDeferredAggregateLen(c,node,length,prefix);
}

static void setDeferredSetLen(client *c, void *node, long length) {
    int prefix = c->resp == 2 ? '*' : '~';
    setDeferredAggregateLen(c,node,length,prefix);
}

/* ---------------------------------------------------------------------------
 * The engine context: one per Lua state (Redis has one for EVAL and one for functions).
 * ------------------------------------------------------------------------- */
typedef struct mrCtx {
    lua_State *lua;
    int is_functions;
    size_t mem_used, mem_limit;
    int limit_active;     /* the limit applies while user code compiles or runs, not to the glue's bookkeeping */
    /* The coroutine scripts run in, and its registry reference. */
    lua_State *co;
    int co_ref;
    /* The current run (NULL-equivalent when running == 0). */
    int running;
    int script_resp;      /* run_ctx->c->resp: set by redis.setresp, 2 at start */
    int repl_flags;
    int killed;
    int had_oom;
    char funcname[256];   /* run_ctx->funcname: the sha for EVAL, the function name for FCALL */
    client out;           /* the reply to the caller (run_ctx->original_client) */
    sds scratch;          /* redis.call argv serialisation */
    /* FUNCTION LOAD */
    int loading;
    double load_start, load_timeout;
} mrCtx;

static long gc_count = 0;

static mrCtx *getCtx(lua_State *lua) {
    void *ud;
    lua_getallocf(lua, &ud);
    return ud;
}

/* The lua_Alloc with a cap on the bytes the state holds (mini-redis: Redis has no such limit). */
static void *mrAlloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    mrCtx *ctx = ud;
    if (nsize == 0) {
        free(ptr);
        ctx->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && ctx->limit_active && ctx->mem_limit && ctx->mem_used - osize + nsize > ctx->mem_limit) {
        ctx->had_oom = 1;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p) ctx->mem_used = ctx->mem_used - osize + nsize;
    else ctx->had_oom = 1;
    return p;
}

static int mrPanic(lua_State *lua) {
    const char *msg = lua_tostring(lua, -1);
    host_panic(msg ? msg : "unprotected error in call to Lua API");
    return 0;
}

/*
 * Save the give pointer on Lua registry, used to save the Lua context and
 * function context so we can retrieve them from lua_State.
 */
static void luaSaveOnRegistry(lua_State* lua, const char* name, void* ptr) {
    lua_pushstring(lua, name);
    if (ptr) {
        lua_pushlightuserdata(lua, ptr);
    } else {
        lua_pushnil(lua);
    }
    lua_settable(lua, LUA_REGISTRYINDEX);
}

static void* luaGetFromRegistry(lua_State* lua, const char* name) {
    lua_pushstring(lua, name);
    lua_gettable(lua, LUA_REGISTRYINDEX);
    if (lua_isnil(lua, -1)) {
        lua_pop(lua, 1);
        return NULL;
    }
    void* ptr = (void*) lua_topointer(lua, -1);
    lua_pop(lua, 1);
    return ptr;
}

#define serverPanic(msg) host_panic(msg)

/* ---------------------------------------------------------------------------
 * Redis reply to Lua type conversion functions (script_lua.c, verbatim).
 * ------------------------------------------------------------------------- */
static void luaPushErrorBuff(lua_State *lua, sds err_buffer);

static void redisProtocolToLuaType_Int(void *ctx, long long val, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushnumber(lua,(lua_Number)val);
}

static void redisProtocolToLuaType_NullBulkString(void *ctx, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushboolean(lua,0);
}

static void redisProtocolToLuaType_NullArray(void *ctx, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }
    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushboolean(lua,0);
}

static void redisProtocolToLuaType_BulkString(void *ctx, const char *str, size_t len, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushlstring(lua,str,len);
}

static void redisProtocolToLuaType_Status(void *ctx, const char *str, size_t len, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 3)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_newtable(lua);
    lua_pushstring(lua,"ok");
    lua_pushlstring(lua,str,len);
    lua_settable(lua,-3);
}

static void redisProtocolToLuaType_Error(void *ctx, const char *str, size_t len, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 3)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    sds err_msg = sdscatlen(sdsnew("-"), str, len);
    luaPushErrorBuff(lua,err_msg);
    /* push a field indicate to ignore updating the stats on this error
     * because it was already updated when executing the command. */
    lua_pushstring(lua,"ignore_error_stats_update");
    lua_pushboolean(lua, 1);
    lua_settable(lua,-3);
}

static void redisProtocolToLuaType_Map(struct ReplyParser *parser, void *ctx, size_t len, const char *proto) {
    UNUSED(proto);
    lua_State *lua = ctx;
    if (lua) {
        if (!lua_checkstack(lua, 3)) {
            serverPanic("lua stack limit reach when parsing redis.call reply");
        }
        lua_newtable(lua);
        lua_pushstring(lua, "map");
        lua_newtable(lua);
    }
    for (size_t j = 0; j < len; j++) {
        parseReply(parser,lua);
        parseReply(parser,lua);
        if (lua) lua_settable(lua,-3);
    }
    if (lua) lua_settable(lua,-3);
}

static void redisProtocolToLuaType_Set(struct ReplyParser *parser, void *ctx, size_t len, const char *proto) {
    UNUSED(proto);

    lua_State *lua = ctx;
    if (lua) {
        if (!lua_checkstack(lua, 3)) {
            serverPanic("lua stack limit reach when parsing redis.call reply");
        }
        lua_newtable(lua);
        lua_pushstring(lua, "set");
        lua_newtable(lua);
    }
    for (size_t j = 0; j < len; j++) {
        parseReply(parser,lua);
        if (lua) {
            if (!lua_checkstack(lua, 1)) {
                serverPanic("lua stack limit reach when parsing redis.call reply");
            }
            lua_pushboolean(lua,1);
            lua_settable(lua,-3);
        }
    }
    if (lua) lua_settable(lua,-3);
}

static void redisProtocolToLuaType_Array(struct ReplyParser *parser, void *ctx, size_t len, const char *proto) {
    UNUSED(proto);

    lua_State *lua = ctx;
    if (lua){
        if (!lua_checkstack(lua, 2)) {
            serverPanic("lua stack limit reach when parsing redis.call reply");
        }
        lua_newtable(lua);
    }
    for (size_t j = 0; j < len; j++) {
        if (lua) lua_pushnumber(lua,j+1);
        parseReply(parser,lua);
        if (lua) lua_settable(lua,-3);
    }
}

static void redisProtocolToLuaType_Attribute(struct ReplyParser *parser, void *ctx, size_t len, const char *proto) {
    UNUSED(proto);
    for (size_t j = 0; j < len; j++) {
        parseReply(parser,NULL);
        parseReply(parser,NULL);
    }
    parseReply(parser,ctx);
}

static void redisProtocolToLuaType_VerbatimString(void *ctx, const char *format, const char *str, size_t len, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 5)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_newtable(lua);
    lua_pushstring(lua,"verbatim_string");
    lua_newtable(lua);
    lua_pushstring(lua,"string");
    lua_pushlstring(lua,str,len);
    lua_settable(lua,-3);
    lua_pushstring(lua,"format");
    lua_pushlstring(lua,format,3);
    lua_settable(lua,-3);
    lua_settable(lua,-3);
}

static void redisProtocolToLuaType_BigNumber(void *ctx, const char *str, size_t len, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 3)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_newtable(lua);
    lua_pushstring(lua,"big_number");
    lua_pushlstring(lua,str,len);
    lua_settable(lua,-3);
}

static void redisProtocolToLuaType_Null(void *ctx, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushnil(lua);
}

static void redisProtocolToLuaType_Bool(void *ctx, int val, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 1)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_pushboolean(lua,val);
}

static void redisProtocolToLuaType_Double(void *ctx, double d, const char *proto, size_t proto_len) {
    UNUSED(proto);
    UNUSED(proto_len);
    if (!ctx) {
        return;
    }

    lua_State *lua = ctx;
    if (!lua_checkstack(lua, 3)) {
        serverPanic("lua stack limit reach when parsing redis.call reply");
    }
    lua_newtable(lua);
    lua_pushstring(lua,"double");
    lua_pushnumber(lua,d);
    lua_settable(lua,-3);
}

static const ReplyParserCallbacks DefaultLuaTypeParserCallbacks = {
    .null_array_callback = redisProtocolToLuaType_NullArray,
    .bulk_string_callback = redisProtocolToLuaType_BulkString,
    .null_bulk_string_callback = redisProtocolToLuaType_NullBulkString,
    .error_callback = redisProtocolToLuaType_Error,
    .simple_str_callback = redisProtocolToLuaType_Status,
    .long_callback = redisProtocolToLuaType_Int,
    .array_callback = redisProtocolToLuaType_Array,
    .set_callback = redisProtocolToLuaType_Set,
    .map_callback = redisProtocolToLuaType_Map,
    .bool_callback = redisProtocolToLuaType_Bool,
    .double_callback = redisProtocolToLuaType_Double,
    .null_callback = redisProtocolToLuaType_Null,
    .big_number_callback = redisProtocolToLuaType_BigNumber,
    .verbatim_string_callback = redisProtocolToLuaType_VerbatimString,
    .attribute_callback = redisProtocolToLuaType_Attribute,
    .error = NULL,
};

static void redisProtocolToLuaType(lua_State *lua, char* reply) {
    ReplyParser parser = {.curr_location = reply, .callbacks = DefaultLuaTypeParserCallbacks};

    parseReply(&parser, lua);
}

static void luaPushErrorBuff(lua_State *lua, sds err_buffer) {
    sds msg;
    sds error_code;

    if (err_buffer[0] == '-') {
        /* derive error code from the message */
        char *err_msg = strstr(err_buffer, " ");
        if (!err_msg) {
            msg = sdsnew(err_buffer+1);
            error_code = sdsnew("ERR");
        } else {
            *err_msg = '\0';
            msg = sdsnew(err_msg+1);
            error_code = sdsnew(err_buffer + 1);
        }
        sdsfree(err_buffer);
    } else {
        msg = err_buffer;
        error_code = sdsnew("ERR");
    }
    msg = sdstrim(msg, "\r\n");
    sds final_msg = sdscatfmt(error_code, " %s", msg);

    lua_newtable(lua);
    lua_pushstring(lua,"err");
    lua_pushstring(lua, final_msg);
    lua_settable(lua,-3);

    sdsfree(msg);
    sdsfree(final_msg);
}

static void luaPushError(lua_State *lua, const char *error) {
    luaPushErrorBuff(lua, sdsnew(error));
}

static int luaError(lua_State *lua) {
    return lua_error(lua);
}

/* ---------------------------------------------------------------------------
 * Error information (script_lua.c).
 * ------------------------------------------------------------------------- */
typedef struct errorInfo {
    sds msg;
    sds source;
    sds line;
    int ignore_err_stats_update;
} errorInfo;

static void luaErrorInformationDiscard(errorInfo *err_info) {
    if (err_info->msg) sdsfree(err_info->msg);
    if (err_info->source) sdsfree(err_info->source);
    if (err_info->line) sdsfree(err_info->line);
}

static void luaExtractErrorInformation(lua_State *lua, errorInfo *err_info) {
    if (lua_isstring(lua, -1)) {
        err_info->msg = sdscatfmt(sdsempty(), "ERR %s", lua_tostring(lua, -1));
        err_info->line = NULL;
        err_info->source = NULL;
        err_info->ignore_err_stats_update = 0;
    }

    lua_getfield(lua, -1, "err");
    if (lua_isstring(lua, -1)) {
        err_info->msg = sdsnew(lua_tostring(lua, -1));
    }
    lua_pop(lua, 1);

    lua_getfield(lua, -1, "source");
    if (lua_isstring(lua, -1)) {
        err_info->source = sdsnew(lua_tostring(lua, -1));
    }
    lua_pop(lua, 1);

    lua_getfield(lua, -1, "line");
    if (lua_isstring(lua, -1)) {
        err_info->line = sdsnew(lua_tostring(lua, -1));
    }
    lua_pop(lua, 1);

    lua_getfield(lua, -1, "ignore_error_stats_update");
    if (lua_isboolean(lua, -1)) {
        err_info->ignore_err_stats_update = lua_toboolean(lua, -1);
    }
    lua_pop(lua, 1);
}

/* ---------------------------------------------------------------------------
 * Lua reply to Redis reply conversion (script_lua.c, verbatim but for the client type).
 * ------------------------------------------------------------------------- */
static void luaReplyToRedisReply(client *c, int script_resp, lua_State *lua) {
    int t = lua_type(lua,-1);

    if (!lua_checkstack(lua, 4)) {
        addReplyErrorFormat(c, "reached lua stack limit");
        lua_pop(lua,1); /* pop the element from the stack */
        return;
    }

    switch(t) {
    case LUA_TSTRING:
        addReplyBulkCBuffer(c,(char*)lua_tostring(lua,-1),lua_strlen(lua,-1));
        break;
    case LUA_TBOOLEAN:
        if (script_resp == 2) {
            if (lua_toboolean(lua,-1)) addReplyProto(c, ":1\r\n", 4);
            else addReplyNull(c);
        } else
            addReplyBool(c,lua_toboolean(lua,-1));
        break;
    case LUA_TNUMBER:
        addReplyLongLong(c,(long long)lua_tonumber(lua,-1));
        break;
    case LUA_TTABLE:
        lua_pushstring(lua,"err");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TSTRING) {
            lua_pop(lua, 1);
            errorInfo err_info = {0};
            luaExtractErrorInformation(lua, &err_info);
            addReplyErrorFormat(c, "-%s", err_info.msg);
            luaErrorInformationDiscard(&err_info);
            lua_pop(lua,1); /* pop the result table */
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle status reply. */
        lua_pushstring(lua,"ok");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TSTRING) {
            addReplyStatusSafe(c, lua_tostring(lua,-1));
            lua_pop(lua,2);
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle double reply. */
        lua_pushstring(lua,"double");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TNUMBER) {
            addReplyDouble(c,lua_tonumber(lua,-1));
            lua_pop(lua,2);
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle big number reply. */
        lua_pushstring(lua,"big_number");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TSTRING) {
            sds big_num = sdsnewlen(lua_tostring(lua,-1), lua_strlen(lua,-1));
            sdsmapchars(big_num,"\r\n","  ",2);
            addReplyBigNum(c,big_num,sdslen(big_num));
            sdsfree(big_num);
            lua_pop(lua,2);
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle verbatim reply. */
        lua_pushstring(lua,"verbatim_string");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TTABLE) {
            lua_pushstring(lua,"format");
            lua_rawget(lua,-2);
            t = lua_type(lua,-1);
            if (t == LUA_TSTRING){
                char* format = (char*)lua_tostring(lua,-1);
                lua_pushstring(lua,"string");
                lua_rawget(lua,-3);
                t = lua_type(lua,-1);
                if (t == LUA_TSTRING){
                    size_t len;
                    char* str = (char*)lua_tolstring(lua,-1,&len);
                    addReplyVerbatim(c, str, len, format);
                    lua_pop(lua,4);
                    return;
                }
                lua_pop(lua,1);
            }
            lua_pop(lua,1);
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle map reply. */
        lua_pushstring(lua,"map");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TTABLE) {
            int maplen = 0;
            void *replylen = addReplyDeferredLen(c);
            lua_pushnil(lua); /* Use nil to start iteration. */
            while (lua_next(lua,-2)) {
                lua_pushvalue(lua,-2);        /* Dup key before consuming. */
                luaReplyToRedisReply(c, script_resp, lua); /* Return key. */
                luaReplyToRedisReply(c, script_resp, lua); /* Return value. */
                maplen++;
            }
            setDeferredMapLen(c,replylen,maplen);
            lua_pop(lua,2);
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle set reply. */
        lua_pushstring(lua,"set");
        lua_rawget(lua,-2);
        t = lua_type(lua,-1);
        if (t == LUA_TTABLE) {
            int setlen = 0;
            void *replylen = addReplyDeferredLen(c);
            lua_pushnil(lua); /* Use nil to start iteration. */
            while (lua_next(lua,-2)) {
                lua_pop(lua,1);               /* Discard the boolean value. */
                lua_pushvalue(lua,-1);        /* Dup key before consuming. */
                luaReplyToRedisReply(c, script_resp, lua); /* Return key. */
                setlen++;
            }
            setDeferredSetLen(c,replylen,setlen);
            lua_pop(lua,2);
            return;
        }
        lua_pop(lua,1); /* Discard field name pushed before. */

        /* Handle the array reply. */
        void *replylen = addReplyDeferredLen(c);
        int j = 1, mbulklen = 0;
        while(1) {
            lua_pushnumber(lua,j++);
            lua_rawget(lua,-2);
            t = lua_type(lua,-1);
            if (t == LUA_TNIL) {
                lua_pop(lua,1);
                break;
            }
            luaReplyToRedisReply(c, script_resp, lua);
            mbulklen++;
        }
        setDeferredArrayLen(c,replylen,mbulklen);
        break;
    default:
        addReplyNull(c);
    }
    lua_pop(lua,1);
}

/* ---------------------------------------------------------------------------
 * Lua redis.* functions implementations (script_lua.c).
 * ------------------------------------------------------------------------- */
/* mini-redis: luaArgsToRedisArgv serialises the arguments into ctx->scratch instead of building robj's. */
static int luaArgsToRedisArgv(lua_State *lua, mrCtx *ctx, int *argc) {
    int j;
    *argc = lua_gettop(lua);
    if (*argc == 0) {
        luaPushError(lua, "Please specify at least one argument for this redis lib call");
        return C_ERR;
    }
    sdsclear(ctx->scratch);
    uint32_t n = *argc;
    ctx->scratch = sdscatlen(ctx->scratch, &n, 4);
    for (j = 0; j < *argc; j++) {
        char *obj_s;
        size_t obj_len;
        char dbuf[64];

        if (lua_type(lua,j+1) == LUA_TNUMBER) {
            /* We can't use lua_tolstring() for number -> string conversion
             * since Lua uses a format specifier that loses precision. */
            lua_Number num = lua_tonumber(lua,j+1);

            obj_len = snprintf(dbuf,sizeof(dbuf),"%.17g",(double)num);
            obj_s = dbuf;
        } else {
            obj_s = (char*)lua_tolstring(lua,j+1,&obj_len);
            if (obj_s == NULL) break; /* Not a string. */
        }
        uint32_t l = obj_len;
        ctx->scratch = sdscatlen(ctx->scratch, &l, 4);
        ctx->scratch = sdscatlen(ctx->scratch, obj_s, obj_len);
    }

    lua_pop(lua, *argc);

    if (j != *argc) {
        luaPushError(lua, "Lua redis lib command arguments must be strings or integers");
        return C_ERR;
    }
    return C_OK;
}

static int luaRedisGenericCommand(lua_State *lua, int raise_error) {
    mrCtx *ctx = getCtx(lua);
    if (!luaGetFromRegistry(lua, REGISTRY_RUN_CTX_NAME)) {
        luaPushError(lua, "redis.call/pcall can only be called inside a script invocation");
        return luaError(lua);
    }
    int argc;
    if (luaArgsToRedisArgv(lua, ctx, &argc) != C_OK) {
        return raise_error ? luaError(lua) : 1;
    }

    static int inuse = 0;   /* Recursive calls detection. */
    if (inuse) {
        char *recursion_warning =
                "luaRedisGenericCommand() recursive call detected. "
                "Are you doing funny stuff with Lua debug hooks?";
        luaPushError(lua,recursion_warning);
        return 1;
    }
    inuse++;

    /* mini-redis: scriptCall() and the command run in the host, which answers with the RESP reply the command
     * wrote in the script client's protocol (or the error scriptCall() would give, as "-ERR ..."). */
    int n = host_call(ctx->scratch, sdslen(ctx->scratch), ctx->script_resp);
    char *reply = malloc(n + 1);
    if (!reply) { inuse--; host_panic("out of memory for a redis.call reply"); }
    host_read(reply);
    reply[n] = '\0';

    if (raise_error && reply[0] != '-') raise_error = 0;
    redisProtocolToLuaType(lua,reply);
    free(reply);
    inuse--;

    if (raise_error) {
        return luaError(lua);
    }
    return 1;
}

static int luaRedisPcall(lua_State *lua) {
    int argc = lua_gettop(lua);
    lua_pushboolean(lua, 1); /* result place holder */
    lua_insert(lua, 1);
    if (lua_pcall(lua, argc - 1, LUA_MULTRET, 0)) {
        /* Error */
        lua_remove(lua, 1); /* remove the result place holder, now we have room for at least one element */
        if (lua_istable(lua, -1)) {
            lua_getfield(lua, -1, "err");
            if (lua_isstring(lua, -1)) {
                lua_replace(lua, -2); /* replace the error message with the table */
            }
        }
        lua_pushboolean(lua, 0); /* push result */
        lua_insert(lua, 1);
    }
    return lua_gettop(lua);
}

static int luaRedisCallCommand(lua_State *lua) {
    return luaRedisGenericCommand(lua,1);
}

static int luaRedisPCallCommand(lua_State *lua) {
    return luaRedisGenericCommand(lua,0);
}

static int luaRedisSha1hexCommand(lua_State *lua) {
    int argc = lua_gettop(lua);
    char digest[41];
    size_t len;
    char *s;

    if (argc != 1) {
        luaPushError(lua, "wrong number of arguments");
        return luaError(lua);
    }

    s = (char*)lua_tolstring(lua,1,&len);
    sha1hex(digest,s,len);
    lua_pushstring(lua,digest);
    return 1;
}

static int luaRedisReturnSingleFieldTable(lua_State *lua, char *field) {
    if (lua_gettop(lua) != 1 || lua_type(lua,-1) != LUA_TSTRING) {
        luaPushError(lua, "wrong number or type of arguments");
        return 1;
    }

    lua_newtable(lua);
    lua_pushstring(lua, field);
    lua_pushvalue(lua, -3);
    lua_settable(lua, -3);
    return 1;
}

static int luaRedisErrorReplyCommand(lua_State *lua) {
    if (lua_gettop(lua) != 1 || lua_type(lua,-1) != LUA_TSTRING) {
        luaPushError(lua, "wrong number or type of arguments");
        return 1;
    }

    const char *err = lua_tostring(lua, -1);
    sds err_buff = NULL;
    if (err[0] != '-') {
        err_buff = sdscatfmt(sdsempty(), "-%s", err);
    } else {
        err_buff = sdsnew(err);
    }
    luaPushErrorBuff(lua, err_buff);
    return 1;
}

static int luaRedisStatusReplyCommand(lua_State *lua) {
    return luaRedisReturnSingleFieldTable(lua,"ok");
}

static int luaRedisSetReplCommand(lua_State *lua) {
    int flags, argc = lua_gettop(lua);

    if (!luaGetFromRegistry(lua, REGISTRY_RUN_CTX_NAME)) {
        luaPushError(lua, "redis.set_repl can only be called inside a script invocation");
        return luaError(lua);
    }

    if (argc != 1) {
        luaPushError(lua, "redis.set_repl() requires two arguments.");
         return luaError(lua);
    }

    flags = lua_tonumber(lua,-1);
    if ((flags & ~(PROPAGATE_AOF|PROPAGATE_REPL)) != 0) {
        luaPushError(lua, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
        return luaError(lua);
    }

    getCtx(lua)->repl_flags = flags;
    return 0;
}

/* redis.acl_check_cmd(): mini-redis asks the host (host_acl: 1 allowed, 0 denied, -1 unknown command). */
static int luaRedisAclCheckCmdPermissionsCommand(lua_State *lua) {
    if (!luaGetFromRegistry(lua, REGISTRY_RUN_CTX_NAME)) {
        luaPushError(lua, "redis.acl_check_cmd can only be called inside a script invocation");
        return luaError(lua);
    }
    int raise_error = 0;
    int argc;
    mrCtx *ctx = getCtx(lua);
    if (luaArgsToRedisArgv(lua, ctx, &argc) != C_OK) return luaError(lua);

    int r = host_acl(ctx->scratch, sdslen(ctx->scratch));
    if (r < 0) {
        luaPushError(lua, "Invalid command passed to redis.acl_check_cmd()");
        raise_error = 1;
    } else {
        lua_pushboolean(lua, r);
    }
    if (raise_error)
        return luaError(lua);
    else
        return 1;
}

static int luaLogCommand(lua_State *lua) {
    int j, argc = lua_gettop(lua);
    int level;
    sds log;

    if (argc < 2) {
        luaPushError(lua, "redis.log() requires two arguments or more.");
        return luaError(lua);
    } else if (!lua_isnumber(lua,-argc)) {
        luaPushError(lua, "First argument must be a number (log level).");
        return luaError(lua);
    }
    level = lua_tonumber(lua,-argc);
    if (level < LL_DEBUG || level > LL_WARNING) {
        luaPushError(lua, "Invalid debug level.");
        return luaError(lua);
    }

    log = sdsempty();
    for (j = 1; j < argc; j++) {
        size_t len;
        char *s;

        s = (char*)lua_tolstring(lua,(-argc)+j,&len);
        if (s) {
            if (j != 1) log = sdscatlen(log," ",1);
            log = sdscatlen(log,s,len);
        }
    }
    /* mini-redis: the host filters by its verbosity. */
    host_log(level, log, sdslen(log));
    sdsfree(log);
    return 0;
}

static int luaSetResp(lua_State *lua) {
    if (!luaGetFromRegistry(lua, REGISTRY_RUN_CTX_NAME)) {
        luaPushError(lua, "redis.setresp can only be called inside a script invocation");
        return luaError(lua);
    }
    int argc = lua_gettop(lua);

    if (argc != 1) {
        luaPushError(lua, "redis.setresp() requires one argument.");
        return luaError(lua);
    }

    int resp = lua_tonumber(lua,-argc);
    if (resp != 2 && resp != 3) {
        luaPushError(lua, "RESP version must be 2 or 3.");
        return luaError(lua);
    }
    getCtx(lua)->script_resp = resp;
    return 0;
}

/* eval.c */
static int luaRedisBreakpointCommand(lua_State *lua) {
    lua_pushboolean(lua,0);
    return 1;
}

static int luaRedisDebugCommand(lua_State *lua) {
    UNUSED(lua);
    return 0;
}

static int luaRedisReplicateCommandsCommand(lua_State *lua) {
    lua_pushboolean(lua,1);
    return 1;
}


/* ---------------------------------------------------------------------------
 * Lua engine initialization (script_lua.c).
 * ------------------------------------------------------------------------- */
static char *libraries_allow_list[] = {
    "string", "cjson", "bit", "cmsgpack", "math", "table", "struct", NULL,
};

static char *redis_api_allow_list[] = {
    "redis", "__redis__err__handler", NULL,
};

static char *lua_builtins_allow_list[] = {
    "xpcall", "tostring", "setmetatable", "next", "assert", "tonumber", "rawequal", "collectgarbage",
    "getmetatable", "rawset", "pcall", "coroutine", "type", "_G", "select", "unpack", "gcinfo", "pairs",
    "rawget", "loadstring", "ipairs", "_VERSION", "load", "error", NULL,
};

static char *lua_builtins_deprecated[] = {
    "newproxy", "setfenv", "getfenv", NULL,
};

static char *lua_builtins_removed_after_initialization_allow_list[] = {
    "debug", NULL,
};

static char **allow_lists[] = {
    libraries_allow_list,
    redis_api_allow_list,
    lua_builtins_allow_list,
    lua_builtins_removed_after_initialization_allow_list,
    NULL,
};

static char *deny_list[] = {
    "dofile", "loadfile", "print", NULL,
};

static int redis_math_random (lua_State *L);
static int redis_math_randomseed (lua_State *L);

static void luaLoadLib(lua_State *lua, const char *libname, lua_CFunction luafunc) {
  lua_pushcfunction(lua, luafunc);
  lua_pushstring(lua, libname);
  lua_call(lua, 1, 0);
}

LUALIB_API int (luaopen_cjson) (lua_State *L);
LUALIB_API int (luaopen_struct) (lua_State *L);
LUALIB_API int (luaopen_cmsgpack) (lua_State *L);
LUALIB_API int (luaopen_bit) (lua_State *L);

static void luaLoadLibraries(lua_State *lua) {
    luaLoadLib(lua, "", luaopen_base);
    luaLoadLib(lua, LUA_TABLIBNAME, luaopen_table);
    luaLoadLib(lua, LUA_STRLIBNAME, luaopen_string);
    luaLoadLib(lua, LUA_MATHLIBNAME, luaopen_math);
    luaLoadLib(lua, LUA_DBLIBNAME, luaopen_debug);
    luaLoadLib(lua, "cjson", luaopen_cjson);
    luaLoadLib(lua, "struct", luaopen_struct);
    luaLoadLib(lua, "cmsgpack", luaopen_cmsgpack);
    luaLoadLib(lua, "bit", luaopen_bit);
}

static sds luaGetStringSds(lua_State *lua, int index) {
    if (!lua_isstring(lua, index)) {
        return NULL;
    }

    size_t len;
    const char *str = lua_tolstring(lua, index, &len);
    sds str_sds = sdsnewlen(str, len);
    return str_sds;
}

static int luaProtectedTableError(lua_State *lua) {
    int argc = lua_gettop(lua);
    if (argc != 2) {
        luaL_error(lua, "Wrong number of arguments to luaProtectedTableError");
    }
    if (!lua_isstring(lua, -1) && !lua_isnumber(lua, -1)) {
        luaL_error(lua, "Second argument to luaProtectedTableError must be a string or number");
    }
    const char *variable_name = lua_tostring(lua, -1);
    luaL_error(lua, "Script attempted to access nonexistent global variable '%s'", variable_name);
    return 0;
}

static void luaSetErrorMetatable(lua_State *lua) {
    lua_newtable(lua); /* push metatable */
    lua_pushcfunction(lua, luaProtectedTableError); /* push get error handler */
    lua_setfield(lua, -2, "__index");
    lua_setmetatable(lua, -2);
}

static int luaNewIndexAllowList(lua_State *lua) {
    int argc = lua_gettop(lua);
    if (argc != 3) {
        luaL_error(lua, "Wrong number of arguments to luaNewIndexAllowList");
    }
    if (!lua_istable(lua, -3)) {
        luaL_error(lua, "first argument to luaNewIndexAllowList must be a table");
    }
    if (!lua_isstring(lua, -2) && !lua_isnumber(lua, -2)) {
        luaL_error(lua, "Second argument to luaNewIndexAllowList must be a string or number");
    }
    const char *variable_name = lua_tostring(lua, -2);

    char ***allow_l = allow_lists;
    for (; *allow_l ; ++allow_l){
        char **c = *allow_l;
        for (; *c ; ++c) {
            if (strcmp(*c, variable_name) == 0) {
                break;
            }
        }
        if (*c) {
            break;
        }
    }

    int allowed = (*allow_l != NULL);
    /* mini-redis: lua-enable-deprecated-api is "no" (its default): deprecated builtins are dropped. */
    if (allowed) {
        lua_rawset(lua, -3);
    }
    (void)lua_builtins_deprecated;
    (void)deny_list;
    return 0;
}

static void luaSetAllowListProtection(lua_State *lua) {
    lua_newtable(lua); /* push metatable */
    lua_pushcfunction(lua, luaNewIndexAllowList); /* push get error handler */
    lua_setfield(lua, -2, "__newindex");
    lua_setmetatable(lua, -2);
}

static void luaSetTableProtectionRecursively(lua_State *lua) {
    if (lua_isreadonlytable(lua, -1)) {
        return;
    }

    lua_enablereadonlytable(lua, -1, 1);

    lua_checkstack(lua, 2);
    lua_pushnil(lua); /* Use nil to start iteration. */
    while (lua_next(lua,-2)) {
        if (lua_istable(lua, -1)) {
            luaSetTableProtectionRecursively(lua);
        }
        lua_pop(lua, 1);
    }

    if (lua_getmetatable(lua, -1)) {
        luaSetTableProtectionRecursively(lua);
        lua_pop(lua, 1); /* pop the metatable */
    }
}

static void luaSetTableProtectionForBasicTypes(lua_State *lua) {
    static const int types[] = {
        LUA_TSTRING,
        LUA_TNUMBER,
        LUA_TBOOLEAN,
        LUA_TNIL,
        LUA_TFUNCTION,
        LUA_TTHREAD,
        LUA_TLIGHTUSERDATA
    };

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        switch (types[i]) {
            case LUA_TSTRING: lua_pushstring(lua, ""); break;
            case LUA_TNUMBER: lua_pushnumber(lua, 0); break;
            case LUA_TBOOLEAN: lua_pushboolean(lua, 0); break;
            case LUA_TNIL: lua_pushnil(lua); break;
            case LUA_TFUNCTION: lua_pushcfunction(lua, NULL); break;
            case LUA_TTHREAD: lua_newthread(lua); break;
            case LUA_TLIGHTUSERDATA: lua_pushlightuserdata(lua, (void*)lua); break;
        }
        if (lua_getmetatable(lua, -1)) {
            luaSetTableProtectionRecursively(lua);
            lua_pop(lua, 1); /* pop metatable */
        }
        lua_pop(lua, 1); /* pop dummy value */
    }
}

static void luaRegisterVersion(lua_State* lua) {
    lua_pushstring(lua,"REDIS_VERSION_NUM");
    lua_pushnumber(lua,REDIS_VERSION_NUM);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REDIS_VERSION");
    lua_pushstring(lua,REDIS_VERSION);
    lua_settable(lua,-3);
}

static void luaRegisterLogFunction(lua_State* lua) {
    lua_pushstring(lua,"log");
    lua_pushcfunction(lua,luaLogCommand);
    lua_settable(lua,-3);

    lua_pushstring(lua,"LOG_DEBUG");
    lua_pushnumber(lua,LL_DEBUG);
    lua_settable(lua,-3);

    lua_pushstring(lua,"LOG_VERBOSE");
    lua_pushnumber(lua,LL_VERBOSE);
    lua_settable(lua,-3);

    lua_pushstring(lua,"LOG_NOTICE");
    lua_pushnumber(lua,LL_NOTICE);
    lua_settable(lua,-3);

    lua_pushstring(lua,"LOG_WARNING");
    lua_pushnumber(lua,LL_WARNING);
    lua_settable(lua,-3);
}

static void luaRegisterRedisAPI(lua_State* lua) {
    lua_pushvalue(lua, LUA_GLOBALSINDEX);
    luaSetAllowListProtection(lua);
    lua_pop(lua, 1);

    luaLoadLibraries(lua);

    /* print, dofile and loadfile are on the deny list: luaNewIndexAllowList drops them, so in Redis 7.0.15 (and
     * here) `print` is a nonexistent global and never writes anything. */
    lua_pushcfunction(lua,luaRedisPcall);
    lua_setglobal(lua, "pcall");

    lua_newtable(lua);

    lua_pushstring(lua,"call");
    lua_pushcfunction(lua,luaRedisCallCommand);
    lua_settable(lua,-3);

    lua_pushstring(lua,"pcall");
    lua_pushcfunction(lua,luaRedisPCallCommand);
    lua_settable(lua,-3);

    luaRegisterLogFunction(lua);

    luaRegisterVersion(lua);

    lua_pushstring(lua,"setresp");
    lua_pushcfunction(lua,luaSetResp);
    lua_settable(lua,-3);

    lua_pushstring(lua, "sha1hex");
    lua_pushcfunction(lua, luaRedisSha1hexCommand);
    lua_settable(lua, -3);

    lua_pushstring(lua, "error_reply");
    lua_pushcfunction(lua, luaRedisErrorReplyCommand);
    lua_settable(lua, -3);
    lua_pushstring(lua, "status_reply");
    lua_pushcfunction(lua, luaRedisStatusReplyCommand);
    lua_settable(lua, -3);

    lua_pushstring(lua,"set_repl");
    lua_pushcfunction(lua,luaRedisSetReplCommand);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REPL_NONE");
    lua_pushnumber(lua,PROPAGATE_NONE);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REPL_AOF");
    lua_pushnumber(lua,PROPAGATE_AOF);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REPL_SLAVE");
    lua_pushnumber(lua,PROPAGATE_REPL);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REPL_REPLICA");
    lua_pushnumber(lua,PROPAGATE_REPL);
    lua_settable(lua,-3);

    lua_pushstring(lua,"REPL_ALL");
    lua_pushnumber(lua,PROPAGATE_AOF|PROPAGATE_REPL);
    lua_settable(lua,-3);

    lua_pushstring(lua,"acl_check_cmd");
    lua_pushcfunction(lua,luaRedisAclCheckCmdPermissionsCommand);
    lua_settable(lua,-3);

    lua_setglobal(lua,REDIS_API_NAME);

    lua_getglobal(lua,"math");

    lua_pushstring(lua,"random");
    lua_pushcfunction(lua,redis_math_random);
    lua_settable(lua,-3);

    lua_pushstring(lua,"randomseed");
    lua_pushcfunction(lua,redis_math_randomseed);
    lua_settable(lua,-3);

    lua_setglobal(lua,"math");
}

static void luaCreateArray(lua_State *lua, const char *p, int elec, const char **next) {
    lua_newtable(lua);
    for (int j = 0; j < elec; j++) {
        uint32_t len;
        memcpy(&len, p, 4);
        lua_pushlstring(lua, p + 4, len);
        lua_rawseti(lua,-2,j+1);
        p += 4 + len;
    }
    *next = p;
}

static int redis_math_random (lua_State *L) {
  if (!luaGetFromRegistry(L, REGISTRY_RUN_CTX_NAME)) {
    return luaL_error(L, "math.random can only be called inside a script invocation");
  }

  lua_Number r = (lua_Number)(redisLrand48()%REDIS_LRAND48_MAX) /
                                (lua_Number)REDIS_LRAND48_MAX;
  switch (lua_gettop(L)) {  /* check number of arguments */
    case 0: {  /* no arguments */
      lua_pushnumber(L, r);  /* Number between 0 and 1 */
      break;
    }
    case 1: {  /* only upper limit */
      int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1<=u, 1, "interval is empty");
      lua_pushnumber(L, floor(r*u)+1);  /* int between 1 and `u' */
      break;
    }
    case 2: {  /* lower and upper limits */
      int l = luaL_checkint(L, 1);
      int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l<=u, 2, "interval is empty");
      lua_pushnumber(L, floor(r*(u-l+1))+l);  /* int between `l' and `u' */
      break;
    }
    default: return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

static int redis_math_randomseed (lua_State *L) {
  if (!luaGetFromRegistry(L, REGISTRY_RUN_CTX_NAME)) {
    return luaL_error(L, "math.randomseed can only be called inside a script invocation");
  }
  redisSrand48(luaL_checkint(L, 1));
  return 0;
}

/* The count hook: SCRIPT KILL (script_lua.c luaMaskCountHook), the FUNCTION LOAD timeout (function_lua.c
 * luaEngineLoadHook), and mini-redis's yield to the host. */
static void luaMaskCountHook(lua_State *lua, lua_Debug *ar) {
    UNUSED(ar);
    mrCtx *ctx = getCtx(lua);
    if (ctx->loading) {
        double duration = emscripten_get_now() - ctx->load_start;
        if (ctx->load_timeout > 0 && duration > ctx->load_timeout) {
            lua_sethook(lua, luaMaskCountHook, LUA_MASKLINE, 0);
            luaPushError(lua,"FUNCTION LOAD timeout");
            luaError(lua);
        }
        return;
    }
    if (!ctx->running) return;
    int kill = ctx->killed;
    if (!kill) {
        /* mini-redis: yield only from the script's own coroutine and outside any C call boundary (pcall,
         * metamethods, table.sort comparators, gsub callbacks...), where Lua 5.1 allows hooks to yield. */
        int can_yield = (lua == ctx->co && lua->nCcalls <= lua->baseCcalls);
        int r = host_check(can_yield);
        if (r == 1) kill = 1;
        else if (r == 2 && can_yield) {
            lua_yield(lua, 0);
            return;
        }
    }
    if (kill) {
        ctx->killed = 1;
        lua_sethook(lua, luaMaskCountHook, LUA_MASKLINE, 0);
        luaPushError(lua,"Script killed by user with SCRIPT KILL...");
        luaError(lua);
    }
}

/* ---------------------------------------------------------------------------
 * Running a script in the coroutine.
 * ------------------------------------------------------------------------- */

/* mini-redis: what __redis__err__handler / the functions' error handler compute, done after the coroutine died
 * (its stack is not unwound): level 0 is the function that raised, level 1 its caller. Runs on the main state
 * under lua_pcall: err, source (or nil), line -> the error table. */
static int mrWrapError(lua_State *lua) {
    if (!lua_istable(lua, 1)) {
        lua_pushliteral(lua, "ERR ");
        lua_getglobal(lua, "tostring");
        lua_pushvalue(lua, 1);
        lua_call(lua, 1, 1);
        lua_concat(lua, 2);
        lua_newtable(lua);
        lua_pushliteral(lua, "err");
        lua_pushvalue(lua, -3);
        lua_settable(lua, -3);
        lua_replace(lua, 1);
    }
    if (!lua_isnil(lua, 2)) {
        lua_pushliteral(lua, "source");
        lua_pushvalue(lua, 2);
        lua_settable(lua, 1);
        lua_pushliteral(lua, "line");
        lua_pushvalue(lua, 3);
        lua_settable(lua, 1);
    }
    lua_settop(lua, 1);
    return 1;
}

static void mrErrorHandler(mrCtx *ctx, lua_State *co) {
    lua_State *lua = ctx->lua;
    lua_Debug ar;
    int have = 0;
    if (lua_getstack(co, 0, &ar) && lua_getinfo(co, "nSl", &ar)) {
        have = 1;
        if (strcmp(ar.what, "C") == 0) {
            have = lua_getstack(co, 1, &ar) && lua_getinfo(co, "nSl", &ar);
        }
    }
    lua_pushcfunction(lua, mrWrapError);
    lua_xmove(co, lua, 1); /* the error value */
    if (have) {
        lua_pushstring(lua, ar.source);
        lua_pushnumber(lua, ar.currentline);
    } else {
        lua_pushnil(lua);
        lua_pushnil(lua);
    }
    if (lua_pcall(lua, 3, 1, 0)) {
        /* as lua_pcall() reports a failing error handler */
        lua_pop(lua, 1);
        lua_pushliteral(lua, "error in error handling");
    }
}

/* Converts the reply (top of the main state) under protection: the conversion allocates. */
static int mrReplyProtected(lua_State *lua) {
    mrCtx *ctx = getCtx(lua);
    luaReplyToRedisReply(&ctx->out, ctx->script_resp, lua);
    return 0;
}

/* The end of luaCallFunction(): the reply or the error, GC, cleanup. status is lua_resume()'s. Returns 0 when
 * the script finished (ctx->out holds the reply), 1 when it yielded. */
static int mrFinish(mrCtx *ctx, int status) {
    lua_State *lua = ctx->lua;
    lua_State *co = ctx->co;
    if (status == LUA_YIELD) return 1;

    #define LUA_GC_CYCLE_PERIOD 50
    gc_count++;
    if (gc_count == LUA_GC_CYCLE_PERIOD) {
        lua_gc(lua,LUA_GCSTEP,LUA_GC_CYCLE_PERIOD);
        gc_count = 0;
    }

    client *c = &ctx->out;
    if (status != 0) {
        if (status == LUA_ERRRUN) {
            mrErrorHandler(ctx, co);
        } else {
            lua_xmove(co, lua, 1);
        }
        if (!lua_istable(lua, -1)) {
            const char *msg = "execution failure";
            if (lua_isstring(lua, -1)) {
                msg = lua_tostring(lua, -1);
            }
            addReplyErrorFormat(c,"Error running script %s, %.100s\n", ctx->funcname, msg);
        } else {
            errorInfo err_info = {0};
            sds final_msg = sdsempty();
            luaExtractErrorInformation(lua, &err_info);
            final_msg = sdscatfmt(final_msg, "-%s",
                                  err_info.msg);
            if (err_info.line && err_info.source) {
                final_msg = sdscatfmt(final_msg, " script: %s, on %s:%s.",
                                      ctx->funcname,
                                      err_info.source,
                                      err_info.line);
            }
            addReplyErrorSdsSafe(c, final_msg);
            luaErrorInformationDiscard(&err_info);
        }
        lua_pop(lua,1); /* Consume the Lua error */
        /* A dead coroutine cannot run again: make a new one next time. */
        luaL_unref(lua, LUA_REGISTRYINDEX, ctx->co_ref);
        ctx->co = NULL;
    } else {
        /* lua_pcall(lua,0,1,...) keeps exactly one result. */
        int n = lua_gettop(co);
        if (n == 0) lua_pushnil(lua);
        else {
            lua_settop(co, 1);
            lua_xmove(co, lua, 1);
        }
        lua_settop(co, 0);
        lua_pushcfunction(lua, mrReplyProtected);
        lua_insert(lua, -2);
        if (lua_pcall(lua, 1, 0, 0)) {
            ctx->out.len = 0;
            addReplyErrorFormat(c, "Error running script %s, %.100s\n", ctx->funcname,
                                lua_isstring(lua, -1) ? lua_tostring(lua, -1) : "execution failure");
            lua_pop(lua, 1);
        }
        if (ctx->co) lua_sethook(ctx->co, NULL, 0, 0);
    }

    ctx->running = 0;
    ctx->killed = 0;
    luaSaveOnRegistry(lua, REGISTRY_RUN_CTX_NAME, NULL);
    lua_settop(lua, 0);
    /* mini-redis: after an out-of-memory error collect everything, so the state has room again. */
    if (ctx->had_oom || status == LUA_ERRMEM) {
        lua_gc(lua, LUA_GCCOLLECT, 0);
        ctx->had_oom = 0;
    }
    return 0;
}

static lua_State *mrCoroutine(mrCtx *ctx) {
    if (!ctx->co) {
        ctx->co = lua_newthread(ctx->lua);
        ctx->co_ref = luaL_ref(ctx->lua, LUA_REGISTRYINDEX);
    }
    lua_settop(ctx->co, 0);
    return ctx->co;
}

/* luaCallFunction(): the function to run is on top of the main state. */
static int mrCall(mrCtx *ctx, const char *args, int nkeys, int nargs, int resp, int hook, int eval_mode) {
    lua_State *lua = ctx->lua;
    ctx->out.len = 0;
    ctx->out.resp = resp;
    ctx->script_resp = 2;
    ctx->repl_flags = PROPAGATE_AOF|PROPAGATE_REPL;
    ctx->killed = 0;
    ctx->had_oom = 0;
    ctx->running = 1;
    /* Redis 7.0 does not reseed the PRNG per script: math.random continues one sequence per process (here: per
     * wasm instance, shared by both states) from redisLrand48's initial state, unless math.randomseed is called. */
    luaSaveOnRegistry(lua, REGISTRY_RUN_CTX_NAME, ctx);

    lua_State *co = mrCoroutine(ctx);
    if (hook) lua_sethook(co, luaMaskCountHook, LUA_MASKCOUNT, 100000);
    else lua_sethook(co, NULL, 0, 0);

    const char *p = args;
    lua_xmove(lua, co, 1); /* the function */
    luaCreateArray(lua, p, nkeys, &p);
    if (eval_mode) {
        lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 0);
        lua_setglobal(lua,"KEYS");
        lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 1);
    } else {
        lua_xmove(lua, co, 1);
    }
    luaCreateArray(lua, p, nargs, &p);
    if (eval_mode) {
        lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 0);
        lua_setglobal(lua,"ARGV");
        lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 1);
    } else {
        lua_xmove(lua, co, 1);
    }
    ctx->limit_active = 1;
    int status = lua_resume(co, eval_mode ? 0 : 2);
    ctx->limit_active = 0;
    return mrFinish(ctx, status);
}

/* ---------------------------------------------------------------------------
 * Exports.
 * ------------------------------------------------------------------------- */
static const char *errh_eval =
    "local dbg = debug\n"
    "debug = nil\n"
    "function __redis__err__handler(err)\n"
    "  local i = dbg.getinfo(2,'nSl')\n"
    "  if i and i.what == 'C' then\n"
    "    i = dbg.getinfo(3,'nSl')\n"
    "  end\n"
    "  if type(err) ~= 'table' then\n"
    "    err = {err='ERR ' .. tostring(err)}"
    "  end"
    "  if i then\n"
    "    err['source'] = i.source\n"
    "    err['line'] = i.currentline\n"
    "  end"
    "  return err\n"
    "end\n";

static const char *errh_functions =
    "local dbg = debug\n"
    "debug = nil\n"
    "local error_handler = function (err)\n"
    "  local i = dbg.getinfo(2,'nSl')\n"
    "  if i and i.what == 'C' then\n"
    "    i = dbg.getinfo(3,'nSl')\n"
    "  end\n"
    "  if type(err) ~= 'table' then\n"
    "    err = {err='ERR ' .. tostring(err)}"
    "  end"
    "  if i then\n"
    "    err['source'] = i.source\n"
    "    err['line'] = i.currentline\n"
    "  end"
    "  return err\n"
    "end\n"
    "return error_handler";

static int luaRegisterFunction(lua_State *lua);

/* scriptingInit() (eval.c) or luaEngineInitEngine() (function_lua.c). */
EMSCRIPTEN_KEEPALIVE mrCtx *mr_new(int is_functions, double mem_limit) {
    mrCtx *ctx = calloc(1, sizeof(*ctx));
    ctx->is_functions = is_functions;
    ctx->scratch = sdsempty();
    lua_State *lua = lua_newstate(mrAlloc, ctx);
    if (!lua) { sdsfree(ctx->scratch); free(ctx); return NULL; }
    lua_atpanic(lua, mrPanic);
    ctx->lua = lua;

    luaRegisterRedisAPI(lua);

    if (!is_functions) {
        lua_getglobal(lua,"redis");

        lua_pushstring(lua,"breakpoint");
        lua_pushcfunction(lua,luaRedisBreakpointCommand);
        lua_settable(lua,-3);

        lua_pushstring(lua,"debug");
        lua_pushcfunction(lua,luaRedisDebugCommand);
        lua_settable(lua,-3);

        lua_pushstring(lua, "replicate_commands");
        lua_pushcfunction(lua, luaRedisReplicateCommandsCommand);
        lua_settable(lua, -3);

        lua_setglobal(lua,"redis");

        luaL_loadbuffer(lua,errh_eval,strlen(errh_eval),"@err_handler_def");
        lua_pcall(lua,0,0,0);

        lua_pushvalue(lua, LUA_GLOBALSINDEX);
        luaSetErrorMetatable(lua);
        luaSetTableProtectionRecursively(lua);
        lua_pop(lua, 1);
        luaSetTableProtectionForBasicTypes(lua);
    } else {
        lua_newtable(lua); /* load library globals */
        lua_newtable(lua); /* load library `redis` table */

        lua_pushstring(lua, "register_function");
        lua_pushcfunction(lua, luaRegisterFunction);
        lua_settable(lua, -3);

        luaRegisterLogFunction(lua);
        luaRegisterVersion(lua);

        luaSetErrorMetatable(lua);
        lua_setfield(lua, -2, REDIS_API_NAME);

        luaSetErrorMetatable(lua);
        luaSetTableProtectionRecursively(lua); /* protect load library globals */
        lua_setfield(lua, LUA_REGISTRYINDEX, LIBRARY_API_NAME);

        lua_pushstring(lua, REGISTRY_ERROR_HANDLER_NAME);
        luaL_loadbuffer(lua, errh_functions, strlen(errh_functions), "@err_handler_def");
        lua_pcall(lua,0,1,0);
        lua_settable(lua, LUA_REGISTRYINDEX);

        lua_pushvalue(lua, LUA_GLOBALSINDEX);
        luaSetErrorMetatable(lua);
        luaSetTableProtectionRecursively(lua); /* protect globals */
        lua_pop(lua, 1);

        lua_pushvalue(lua, LUA_GLOBALSINDEX);
        lua_setfield(lua, LUA_REGISTRYINDEX, GLOBALS_API_NAME);

        lua_newtable(lua); /* new globals */
        lua_newtable(lua); /* new globals metatable */
        lua_pushvalue(lua, LUA_GLOBALSINDEX);
        lua_setfield(lua, -2, "__index");
        lua_enablereadonlytable(lua, -1, 1); /* protect the metatable */
        lua_setmetatable(lua, -2);
        lua_enablereadonlytable(lua, -1, 1); /* protect the new global table */
        lua_replace(lua, LUA_GLOBALSINDEX); /* set new global table as the new globals */

        luaSetTableProtectionForBasicTypes(lua);
    }
    lua_settop(lua, 0);
    ctx->mem_limit = mem_limit > 0 ? (size_t)mem_limit : 0;
    return ctx;
}

EMSCRIPTEN_KEEPALIVE void mr_close(mrCtx *ctx) {
    lua_close(ctx->lua);
    sdsfree(ctx->scratch);
    free(ctx->out.buf);
    free(ctx);
}

EMSCRIPTEN_KEEPALIVE void mr_set_memory_limit(mrCtx *ctx, double limit) {
    ctx->mem_limit = limit > 0 ? (size_t)limit : 0;
}

EMSCRIPTEN_KEEPALIVE double mr_memory(mrCtx *ctx) {
    return (double)ctx->mem_used;
}

EMSCRIPTEN_KEEPALIVE void mr_gc(mrCtx *ctx) {
    lua_gc(ctx->lua, LUA_GCCOLLECT, 0);
}

EMSCRIPTEN_KEEPALIVE const char *mr_out_ptr(mrCtx *ctx) { return ctx->out.buf; }
EMSCRIPTEN_KEEPALIVE int mr_out_len(mrCtx *ctx) { return (int)ctx->out.len; }

EMSCRIPTEN_KEEPALIVE void mr_sha1hex(const char *p, int len, char *out41) {
    sha1hex(out41, (char *)p, len);
}

/* evalExtractShebangFlags() (eval.c). */
static int evalExtractShebangFlags(sds body, uint64_t *out_flags, ssize_t *out_shebang_len, sds *err) {
    ssize_t shebang_len = 0;
    uint64_t script_flags = SCRIPT_FLAG_EVAL_COMPAT_MODE;
    if (!strncmp(body, "#!", 2)) {
        int numparts,j;
        char *shebang_end = strchr(body, '\n');
        if (shebang_end == NULL) {
            if (err)
                *err = sdsnew("Invalid script shebang");
            return C_ERR;
        }
        shebang_len = shebang_end - body;
        sds shebang = sdsnewlen(body, shebang_len);
        sds *parts = sdssplitargs(shebang, &numparts);
        sdsfree(shebang);
        if (!parts || numparts == 0) {
            if (err)
                *err = sdsnew("Invalid engine in script shebang");
            sdsfreesplitres(parts, numparts);
            return C_ERR;
        }
        if (strcmp(parts[0], "#!lua")) {
            if (err)
                *err = sdscatfmt(sdsempty(), "Unexpected engine in script shebang: %s", parts[0]);
            sdsfreesplitres(parts, numparts);
            return C_ERR;
        }
        script_flags &= ~SCRIPT_FLAG_EVAL_COMPAT_MODE;
        for (j = 1; j < numparts; j++) {
            if (!strncmp(parts[j], "flags=", 6)) {
                sdsrange(parts[j], 6, -1);
                int numflags, jj;
                sds *flags = sdssplitlen(parts[j], sdslen(parts[j]), ",", 1, &numflags);
                for (jj = 0; jj < numflags; jj++) {
                    scriptFlag *sf;
                    for (sf = scripts_flags_def; sf->flag; sf++) {
                        if (!strcmp(flags[jj], sf->str)) break;
                    }
                    if (!sf->flag) {
                        if (err)
                            *err = sdscatfmt(sdsempty(), "Unexpected flag in script shebang: %s", flags[jj]);
                        sdsfreesplitres(flags, numflags);
                        sdsfreesplitres(parts, numparts);
                        return C_ERR;
                    }
                    script_flags |= sf->flag;
                }
                sdsfreesplitres(flags, numflags);
            } else {
                if (err)
                    *err = sdscatfmt(sdsempty(), "Unknown lua shebang option: %s", parts[j]);
                sdsfreesplitres(parts, numparts);
                return C_ERR;
            }
        }
        sdsfreesplitres(parts, numparts);
    }
    if (out_shebang_len)
        *out_shebang_len = shebang_len;
    *out_flags = script_flags;
    return C_OK;
}

/* luaCreateFunction() (eval.c): compiles the body as f_<sha1>. Returns the script flags (>= 0), or -1 with the
 * error reply in the output buffer. */
EMSCRIPTEN_KEEPALIVE int mr_eval_create(mrCtx *ctx, const char *body_p, int body_len) {
    lua_State *lua = ctx->lua;
    char funcname[43];
    uint64_t script_flags;
    ctx->out.len = 0;
    ctx->out.resp = 2;
    sds body = sdsnewlen(body_p, body_len);
    funcname[0] = 'f';
    funcname[1] = '_';
    sha1hex(funcname+2,body,sdslen(body));

    ssize_t shebang_len = 0;
    sds err = NULL;
    if (evalExtractShebangFlags(body, &script_flags, &shebang_len, &err) == C_ERR) {
        addReplyErrorSds(&ctx->out, err);
        sdsfree(body);
        return -1;
    }

    ctx->limit_active = 1;
    int load_err = luaL_loadbuffer(lua,(char*)body + shebang_len,sdslen(body) - shebang_len,"@user_script");
    ctx->limit_active = 0;
    if (load_err) {
        addReplyErrorFormat(&ctx->out,
            "Error compiling script (new function): %s",
            lua_tostring(lua,-1));
        lua_pop(lua,1);
        sdsfree(body);
        if (ctx->had_oom) { lua_gc(lua, LUA_GCCOLLECT, 0); ctx->had_oom = 0; }
        return -1;
    }
    lua_setfield(lua, LUA_REGISTRYINDEX, funcname);
    sdsfree(body);
    return (int)script_flags;
}

EMSCRIPTEN_KEEPALIVE void mr_eval_forget(mrCtx *ctx, const char *sha40) {
    char funcname[43];
    funcname[0] = 'f';
    funcname[1] = '_';
    memcpy(funcname + 2, sha40, 40);
    funcname[42] = '\0';
    lua_pushnil(ctx->lua);
    lua_setfield(ctx->lua, LUA_REGISTRYINDEX, funcname);
}

/* evalGenericCommand() + luaCallFunction(): args holds nkeys + nargs (u32 len, bytes) entries. Returns 0 when
 * done (the reply is in the output buffer), 1 when the script yielded, -1 when the script is unknown. */
EMSCRIPTEN_KEEPALIVE int mr_eval_run(mrCtx *ctx, const char *sha40, const char *args, int nkeys, int nargs, int resp, int hook) {
    lua_State *lua = ctx->lua;
    char funcname[43];
    funcname[0] = 'f';
    funcname[1] = '_';
    memcpy(funcname + 2, sha40, 40);
    funcname[42] = '\0';
    lua_getfield(lua, LUA_REGISTRYINDEX, funcname);
    if (lua_isnil(lua, -1)) {
        lua_pop(lua, 1);
        return -1;
    }
    memcpy(ctx->funcname, sha40, 40);
    ctx->funcname[40] = '\0';
    return mrCall(ctx, args, nkeys, nargs, resp, hook, 1);
}

/* Continues a script that yielded: kill != 0 raises the SCRIPT KILL error at once. */
EMSCRIPTEN_KEEPALIVE int mr_resume(mrCtx *ctx, int kill) {
    lua_State *co = ctx->co;
    if (kill) {
        ctx->killed = 1;
        lua_sethook(co, luaMaskCountHook, LUA_MASKLINE|LUA_MASKCOUNT, 1);
    }
    ctx->limit_active = 1;
    int status = lua_resume(co, 0);
    ctx->limit_active = 0;
    return mrFinish(ctx, status);
}

/* ---------------------------------------------------------------------------
 * Functions (function_lua.c, functions.c).
 * ------------------------------------------------------------------------- */
static int functionsVerifyName(sds name) {
    if (sdslen(name) == 0) {
        return C_ERR;
    }
    for (size_t i = 0 ; i < sdslen(name) ; ++i) {
        char curr_char = name[i];
        if ((curr_char >= 'a' && curr_char <= 'z') ||
            (curr_char >= 'A' && curr_char <= 'Z') ||
            (curr_char >= '0' && curr_char <= '9') ||
            (curr_char == '_'))
        {
            continue;
        }
        return C_ERR;
    }
    return C_OK;
}

/* functionExtractLibMetaData() + the name and engine checks of functionsCreateWithLibraryCtx(). Returns the
 * offset of the code in the payload (>= 0) with the library name in the output buffer, or -1 with the error
 * text (no RESP framing) in the output buffer. */
EMSCRIPTEN_KEEPALIVE int mr_fn_meta(mrCtx *ctx, const char *payload_p, int payload_len) {
    sds payload = sdsnewlen(payload_p, payload_len);
    sds name = NULL;
    sds engine = NULL;
    sds err = NULL;
    int numparts = 0;
    sds *parts = NULL;
    int ret = -1;
    ctx->out.len = 0;
    if (strncmp(payload, "#!", 2) != 0) {
        err = sdsnew("Missing library metadata");
        goto done;
    }
    char *shebang_end = strchr(payload, '\n');
    if (shebang_end == NULL) {
        err = sdsnew("Invalid library metadata");
        goto done;
    }
    size_t shebang_len = shebang_end - payload;
    sds shebang = sdsnewlen(payload, shebang_len);
    parts = sdssplitargs(shebang, &numparts);
    sdsfree(shebang);
    if (!parts || numparts == 0) {
        err = sdsnew("Invalid library metadata");
        goto done;
    }
    engine = sdsdup(parts[0]);
    sdsrange(engine, 2, -1);
    for (int i = 1 ; i < numparts ; ++i) {
        sds part = parts[i];
        if (strncasecmp(part, "name=", 5) == 0) {
            if (name) {
                err = sdscatfmt(sdsempty(), "Invalid metadata value, name argument was given multiple times");
                goto done;
            }
            name = sdsdup(part);
            sdsrange(name, 5, -1);
            continue;
        }
        err = sdscatfmt(sdsempty(), "Invalid metadata value given: %s", part);
        goto done;
    }
    if (!name) {
        err = sdsnew("Library name was not given");
        goto done;
    }
    if (functionsVerifyName(name)) {
        err = sdsnew("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        goto done;
    }
    if (strcasecmp(engine, "LUA")) {
        err = sdscatfmt(sdsempty(), "Engine '%S' not found", engine);
        goto done;
    }
    addReplyProto(&ctx->out, name, sdslen(name));
    ret = (int)shebang_len;
done:
    if (err) {
        addReplyProto(&ctx->out, err, sdslen(err));
        sdsfree(err);
    }
    if (parts) sdsfreesplitres(parts, numparts);
    if (name) sdsfree(name);
    if (engine) sdsfree(engine);
    sdsfree(payload);
    return ret;
}

static int luaRegisterFunctionReadFlags(lua_State *lua, uint64_t *flags) {
    int j = 1;
    int ret = C_ERR;
    int f_flags = 0;
    while(1) {
        lua_pushnumber(lua,j++);
        lua_gettable(lua,-2);
        int t = lua_type(lua,-1);
        if (t == LUA_TNIL) {
            lua_pop(lua,1);
            break;
        }
        if (!lua_isstring(lua, -1)) {
            lua_pop(lua,1);
            goto done;
        }

        const char *flag_str = lua_tostring(lua, -1);
        int found = 0;
        for (scriptFlag *flag = scripts_flags_def; flag->str ; ++flag) {
            if (!strcasecmp(flag->str, flag_str)) {
                f_flags |= flag->flag;
                found = 1;
                break;
            }
        }
        lua_pop(lua,1);
        if (!found) {
            goto done;
        }
    }

    *flags = f_flags;
    ret = C_OK;

done:
    return ret;
}

typedef struct registerFunctionArgs {
    sds name;
    sds desc;
    int ref;
    uint64_t f_flags;
} registerFunctionArgs;

static int luaRegisterFunctionReadNamedArgs(lua_State *lua, registerFunctionArgs *register_f_args) {
    char *err = NULL;
    sds name = NULL;
    sds desc = NULL;
    int ref = LUA_NOREF;
    uint64_t flags = 0;
    if (!lua_istable(lua, 1)) {
        err = "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).";
        goto error;
    }

    lua_pushnil(lua);
    while (lua_next(lua, -2)) {
        if (!lua_isstring(lua, -2)) {
            err = "named argument key given to redis.register_function is not a string";
            goto error;
        }
        const char *key = lua_tostring(lua, -2);
        if (!strcasecmp(key, "function_name")) {
            if (!(name = luaGetStringSds(lua, -1))) {
                err = "function_name argument given to redis.register_function must be a string";
                goto error;
            }
        } else if (!strcasecmp(key, "description")) {
            if (!(desc = luaGetStringSds(lua, -1))) {
                err = "description argument given to redis.register_function must be a string";
                goto error;
            }
        } else if (!strcasecmp(key, "callback")) {
            if (!lua_isfunction(lua, -1)) {
                err = "callback argument given to redis.register_function must be a function";
                goto error;
            }
            ref = luaL_ref(lua, LUA_REGISTRYINDEX);
            continue; /* value was already popped, so no need to pop it out. */
        } else if (!strcasecmp(key, "flags")) {
            if (!lua_istable(lua, -1)) {
                err = "flags argument to redis.register_function must be a table representing function flags";
                goto error;
            }
            if (luaRegisterFunctionReadFlags(lua, &flags) != C_OK) {
                err = "unknown flag given";
                goto error;
            }
        } else {
            err = "unknown argument given to redis.register_function";
            goto error;
        }
        lua_pop(lua, 1); /* pop the value to continue the iteration */
    }

    if (!name) {
        err = "redis.register_function must get a function name argument";
        goto error;
    }

    if (ref == LUA_NOREF) {
        err = "redis.register_function must get a callback argument";
        goto error;
    }

    register_f_args->name = name;
    register_f_args->desc = desc;
    register_f_args->ref = ref;
    register_f_args->f_flags = flags;
    return C_OK;

error:
    if (name) sdsfree(name);
    if (desc) sdsfree(desc);
    if (ref != LUA_NOREF) luaL_unref(lua, LUA_REGISTRYINDEX, ref);
    luaPushError(lua, err);
    return C_ERR;
}

static int luaRegisterFunctionReadPositionalArgs(lua_State *lua, registerFunctionArgs *register_f_args) {
    char *err = NULL;
    sds name = NULL;
    if (!(name = luaGetStringSds(lua, 1))) {
        err = "first argument to redis.register_function must be a string";
        goto error;
    }

    if (!lua_isfunction(lua, 2)) {
        err = "second argument to redis.register_function must be a function";
        goto error;
    }

    int ref = luaL_ref(lua, LUA_REGISTRYINDEX);
    register_f_args->name = name;
    register_f_args->desc = NULL;
    register_f_args->ref = ref;
    register_f_args->f_flags = 0;
    return C_OK;

error:
    if (name) sdsfree(name);
    luaPushError(lua, err);
    return C_ERR;
}

static int luaRegisterFunctionReadArgs(lua_State *lua, registerFunctionArgs *register_f_args) {
    int argc = lua_gettop(lua);
    if (argc < 1 || argc > 2) {
        luaPushError(lua, "wrong number of arguments to redis.register_function");
        return C_ERR;
    }

    if (argc == 1) {
        return luaRegisterFunctionReadNamedArgs(lua, register_f_args);
    } else {
        return luaRegisterFunctionReadPositionalArgs(lua, register_f_args);
    }
}

static int luaRegisterFunction(lua_State *lua) {
    registerFunctionArgs register_f_args = {0};

    if (!luaGetFromRegistry(lua, REGISTRY_LOAD_CTX_NAME)) {
        luaPushError(lua, "redis.register_function can only be called on FUNCTION LOAD command");
        return luaError(lua);
    }

    if (luaRegisterFunctionReadArgs(lua, &register_f_args) != C_OK) {
        return luaError(lua);
    }

    /* functionLibCreateFunction(): the name check here, the per-library duplicate check in the host. */
    const char *err = NULL;
    int host_err = 0;
    if (functionsVerifyName(register_f_args.name) != C_OK) {
        err = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
    } else {
        host_err = host_register(register_f_args.name, sdslen(register_f_args.name), register_f_args.ref,
                                 (int)register_f_args.f_flags, register_f_args.desc,
                                 register_f_args.desc ? (int)sdslen(register_f_args.desc) : -1);
    }
    if (err || host_err) {
        sds e;
        if (err) e = sdsnew(err);
        else {
            e = sdsnewlen(NULL, host_err);
            host_read(e);
        }
        sdsfree(register_f_args.name);
        if (register_f_args.desc) sdsfree(register_f_args.desc);
        luaL_unref(lua, LUA_REGISTRYINDEX, register_f_args.ref);
        luaPushError(lua, e);
        sdsfree(e);
        return luaError(lua);
    }
    sdsfree(register_f_args.name);
    if (register_f_args.desc) sdsfree(register_f_args.desc);
    return 0;
}

/* luaEngineCreate(): runs the library code (after its shebang line) with the load-time API. Returns 0, or -1
 * with the error text (no RESP framing) in the output buffer. timeout_ms 0: no limit. */
EMSCRIPTEN_KEEPALIVE int mr_fn_create(mrCtx *ctx, const char *code_p, int code_len, double timeout_ms) {
    int ret = C_ERR;
    lua_State *lua = ctx->lua;
    sds err = NULL;
    ctx->out.len = 0;

    lua_getmetatable(lua, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(lua, -1, 0); /* disable global protection */
    lua_getfield(lua, LUA_REGISTRYINDEX, LIBRARY_API_NAME);
    lua_setfield(lua, -2, "__index");
    lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 1); /* enable global protection */
    lua_pop(lua, 1); /* pop the metatable */

    ctx->limit_active = 1;
    int load_err = luaL_loadbuffer(lua, code_p, code_len, "@user_function");
    ctx->limit_active = 0;
    if (load_err) {
        err = sdscatprintf(sdsempty(), "Error compiling function: %s", lua_tostring(lua, -1));
        lua_pop(lua, 1); /* pops the error */
        goto done;
    }

    ctx->loading = 1;
    ctx->load_start = emscripten_get_now();
    ctx->load_timeout = timeout_ms;
    luaSaveOnRegistry(lua, REGISTRY_LOAD_CTX_NAME, ctx);

    lua_sethook(lua,luaMaskCountHook,LUA_MASKCOUNT,100000);
    ctx->limit_active = 1;
    int call_err = lua_pcall(lua,0,0,0);
    ctx->limit_active = 0;
    if (call_err) {
        errorInfo err_info = {0};
        luaExtractErrorInformation(lua, &err_info);
        err = sdscatprintf(sdsempty(), "Error registering functions: %s", err_info.msg);
        lua_pop(lua, 1); /* pops the error */
        luaErrorInformationDiscard(&err_info);
        goto done;
    }

    ret = C_OK;

done:
    lua_getmetatable(lua, LUA_GLOBALSINDEX);
    lua_enablereadonlytable(lua, -1, 0); /* disable global protection */
    lua_getfield(lua, LUA_REGISTRYINDEX, GLOBALS_API_NAME);
    lua_setfield(lua, -2, "__index");
    lua_enablereadonlytable(lua, LUA_GLOBALSINDEX, 1); /* enable global protection */
    lua_pop(lua, 1); /* pop the metatable */

    lua_sethook(lua,NULL,0,0); /* Disable hook */
    luaSaveOnRegistry(lua, REGISTRY_LOAD_CTX_NAME, NULL);
    ctx->loading = 0;
    if (err) {
        addReplyProto(&ctx->out, err, sdslen(err));
        sdsfree(err);
    }
    if (ctx->had_oom) { lua_gc(lua, LUA_GCCOLLECT, 0); ctx->had_oom = 0; }
    lua_settop(lua, 0);
    return ret;
}

EMSCRIPTEN_KEEPALIVE void mr_fn_unref(mrCtx *ctx, int ref) {
    luaL_unref(ctx->lua, LUA_REGISTRYINDEX, ref);
}

/* luaEngineCall() + luaCallFunction() for FCALL: 0 done, 1 yielded. */
EMSCRIPTEN_KEEPALIVE int mr_fn_call(mrCtx *ctx, int ref, const char *name, int name_len, const char *args, int nkeys, int nargs, int resp, int hook) {
    lua_State *lua = ctx->lua;
    if (name_len > (int)sizeof(ctx->funcname) - 1) name_len = sizeof(ctx->funcname) - 1;
    memcpy(ctx->funcname, name, name_len);
    ctx->funcname[name_len] = '\0';
    lua_rawgeti(lua, LUA_REGISTRYINDEX, ref);
    return mrCall(ctx, args, nkeys, nargs, resp, hook, 0);
}

EMSCRIPTEN_KEEPALIVE void *mr_malloc(int n) { return malloc(n); }
EMSCRIPTEN_KEEPALIVE void mr_free(void *p) { free(p); }
