-- wrk script for bench/serve.py's mixed workload: GET posts chosen at random from
-- PATHS_FILE (one path per line), counting the answers the page cache served
-- (X-Page-Cache: hit or waited) against those rendered.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("PATHS_FILE")) do
    table.insert(paths, line)
  end
  math.randomseed(os.time() + #paths)
  cached = 0
  rendered = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  -- granian sends header names in lower case
  local kind = headers["x-page-cache"] or headers["X-Page-Cache"]
  if kind == "hit" or kind == "waited" then
    cached = cached + 1
  else
    rendered = rendered + 1
  end
end

function done(summary, latency, requests)
  local hits, misses = 0, 0
  for _, thread in ipairs(threads) do
    hits = hits + thread:get("cached")
    misses = misses + thread:get("rendered")
  end
  io.write(string.format("cached %d rendered %d\n", hits, misses))
end
