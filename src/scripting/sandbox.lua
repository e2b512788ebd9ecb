-- rkv's script sandbox, run once when the Lua VM is created (see sandbox.rs).
--
-- Arguments: G, the table holding every global; P, the empty table scripts see as their
-- globals (reads fall through to G, writes fail); R, the `redis` library table; hooks, the
-- private table through which the server lends its functions.
--
-- Redis 7.0 patches Lua to mark tables read-only. Stock Lua 5.1 cannot, so protected tables are
-- presented through proxies: empty tables whose reads fall through to the real table and whose
-- writes raise Redis's error. setmetatable and rawset refuse proxies the same way.
local G, P, R, hooks = ...

local error, type, tostring, select, tonumber = error, type, tostring, select, tonumber
local floor, ceil = math.floor, math.ceil
local raw_setmetatable, raw_rawset, raw_pcall, raw_loadstring = setmetatable, rawset, pcall, loadstring
local rawget, ipairs, getmetatable = rawget, ipairs, getmetatable

local readonly = raw_setmetatable({}, { __mode = 'k' })

local function deny()
  error('Attempt to modify a readonly table', 2)
end

-- A read-only view of `t`; `shown` is what getmetatable returns for it.
local function protect(t, shown)
  local view = {}
  raw_setmetatable(view, { __index = t, __newindex = deny, __metatable = shown })
  readonly[view] = true
  return view
end

-- Reading a global that does not exist is an error.
raw_setmetatable(G, {
  __index = function(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end,
})

-- Refusals from these C-function stand-ins carry no position, as Redis's VM raises them.
G.setmetatable = function(t, mt)
  if readonly[t] then error('Attempt to modify a readonly table', 0) end
  return raw_setmetatable(t, mt)
end

G.rawset = function(t, k, v)
  if readonly[t] then error('Attempt to modify a readonly table', 0) end
  return raw_rawset(t, k, v)
end

-- Precompiled chunks are refused, as Redis 7.0 does.
G.loadstring = function(s, name)
  if type(s) == 'string' and s:byte(1) == 27 then
    return nil, 'binary chunks are not allowed'
  end
  return raw_loadstring(s, name)
end

-- pcall hands back the text of an error table ({err = ...}), as Redis's does.
-- An error raised by a library written in Rust becomes its message, as C's luaL_error raises.
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' and type(e.err) == 'string' then
    return false, e.err
  end
  return false, hooks.error_text(e)
end
G.pcall = function(f, ...)
  return pcall_result(raw_pcall(f, ...))
end

-- An error raised the way Redis's luaPushError + lua_error raise one.
local function raise(msg)
  error({ err = 'ERR ' .. msg })
end

local function running(what)
  if not hooks.running then
    raise(what .. ' can only be called inside a script invocation')
  end
end

-- C's (int) conversion of lua_tonumber: 0 for what is not a number, truncated toward zero.
local function to_int(v)
  local n = tonumber(v) or 0
  if n >= 0 then return floor(n) end
  return ceil(n)
end

R.setresp = function(...)
  running('redis.setresp')
  if select('#', ...) ~= 1 then raise('redis.setresp() requires one argument.') end
  local resp = to_int((...))
  if resp ~= 2 and resp ~= 3 then raise('RESP version must be 2 or 3.') end
  hooks.setresp(resp)
end

R.set_repl = function(...)
  running('redis.set_repl')
  if select('#', ...) ~= 1 then raise('redis.set_repl() requires two arguments.') end
  local flags = to_int((...))
  if flags < 0 or flags > 3 then
    raise('Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.')
  end
  hooks.set_repl(flags)
end

R.log = function(...)
  local n = select('#', ...)
  if n < 2 then raise('redis.log() requires two arguments or more.') end
  local level = ...
  if type(level) ~= 'number' and tonumber(level) == nil then
    raise('First argument must be a number (log level).')
  end
  level = to_int(level)
  if level < 0 or level > 3 then raise('Invalid debug level.') end
  hooks.log(level, ...)
end

R.sha1hex = function(...)
  if select('#', ...) ~= 1 then raise('wrong number of arguments') end
  return hooks.sha1hex((...))
end

R.replicate_commands = function() return true end
R.breakpoint = function() return false end
R.debug = function() end

-- Redis's math.random over its own drand48, the same sequence on every platform.
local function arg_int(n, i, ...)
  local v = select(i, ...)
  local x = tonumber(v)
  if x == nil then
    local got = (i > n) and 'no value' or type(v)
    error('bad argument #' .. i .. " to 'random' (number expected, got " .. got .. ')', 3)
  end
  if x >= 0 then return floor(x) end
  return ceil(x)
end

local M = G.math
M.random = function(...)
  if not hooks.running then error('math.random can only be called inside a script invocation', 2) end
  local r = hooks.rand()
  local n = select('#', ...)
  if n == 0 then return r end
  if n == 1 then
    local u = arg_int(n, 1, ...)
    if u < 1 then error("bad argument #1 to 'random' (interval is empty)", 2) end
    return floor(r * u) + 1
  end
  if n == 2 then
    local l, u = arg_int(n, 1, ...), arg_int(n, 2, ...)
    if l > u then error("bad argument #2 to 'random' (interval is empty)", 2) end
    return floor(r * (u - l + 1)) + l
  end
  error('wrong number of arguments', 2)
end
M.randomseed = function(...)
  if not hooks.running then error('math.randomseed can only be called inside a script invocation', 2) end
  hooks.seed(arg_int(select('#', ...), 1, ...))
end

-- Every library seen by scripts is read-only, and so are the globals.
G.redis = protect(R, false)
for _, name in ipairs({ 'string', 'math', 'table', 'coroutine', 'cjson', 'cmsgpack', 'bit', 'struct' }) do
  local lib = rawget(G, name)
  if lib ~= nil then
    G[name] = protect(lib, false)
  end
end
G._G = P
local missing = getmetatable(G).__index
local P_meta = { __index = G, __newindex = deny, __metatable = protect({ __index = missing }, false) }
raw_setmetatable(P, P_meta)
readonly[P] = true

-- What a function library sees while FUNCTION LOAD runs it: only a `redis` table holding
-- register_function, log and the version.
local load_api = {
  register_function = function(...)
    local err = hooks.register(...)
    if err then raise(err) end
  end,
  log = R.log,
  REDIS_VERSION = R.REDIS_VERSION,
  REDIS_VERSION_NUM = R.REDIS_VERSION_NUM,
}
for _, name in ipairs({ 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING' }) do
  load_api[name] = R[name]
end
raw_setmetatable(load_api, { __index = missing })
local L = raw_setmetatable({ redis = protect(load_api, false) }, { __index = missing })

-- The metatable of the globals (FUNCTION LOAD points its __index at the load API while a
-- library registers its functions), that API, and Lua's own pcall.
return P_meta, L, raw_pcall
