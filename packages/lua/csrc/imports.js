// The JS imports of glue.c: each forwards to Module.mrHost, which src/engine.ts sets before the first call.
mergeInto(LibraryManager.library, {
  host_call: function (argv, len, resp) { return Module.mrHost.call(argv, len, resp); },
  host_read: function (dst) { Module.mrHost.read(dst); },
  host_acl: function (argv, len) { return Module.mrHost.acl(argv, len); },
  host_log: function (level, msg, len) { Module.mrHost.log(level, msg, len); },
  host_check: function (canYield) { return Module.mrHost.check(canYield); },
  host_register: function (name, nameLen, ref, flags, desc, descLen) {
    return Module.mrHost.register(name, nameLen, ref, flags, desc, descLen);
  },
  host_panic: function (msg) { Module.mrHost.panic(msg); },
});
