-- wrk script for bench_load.py. Arguments after `--`: one or more "path cookie" entries (the cookie
-- may be "-" for none), each requested as a browser would. Each thread cycles through them from its own starting point, so a mix or a
-- set of signed-in people is spread evenly. At the end it prints one line of JSON with the figures.
local entries = {}
local position = 0
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

function init(args)
  for _, arg in ipairs(args) do
    local path, cookie = arg:match("^(%S+) (%S+)$")
    table.insert(entries, { path = path, cookie = cookie })
  end
  position = ((thread_number or 1) * 7) % #entries
end

function request()
  position = position % #entries + 1
  local entry = entries[position]
  -- What a browser sends: it takes compressed pages.
  local headers = { ["Accept-Encoding"] = "gzip, deflate, br" }
  if entry.cookie ~= "-" then
    headers["Cookie"] = entry.cookie
  end
  return wrk.format("GET", entry.path, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "status_errors": %d, ' ..
    '"socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
