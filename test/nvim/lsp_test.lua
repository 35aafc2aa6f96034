-- Headless Neovim (0.7 API) as a real LSP client of dist/server.js. Started by test/nvim/run.mjs:
--   nvim --headless --clean -u test/nvim/lsp_test.lua
-- Environment: FLUX_NVIM_SERVER (dist/server.js), FLUX_NVIM_FLEET (test/fixtures/fleet),
-- FLUX_NVIM_BROKEN (test/fixtures/broken), FLUX_NVIM_RESULT (JSON file this script writes).
-- Every scenario asserts concrete values; a scenario is a function that returns a detail string or raises.
-- Buffers are edited (one scenario applies a quick-fix) but never written: the script leaves with `qall!`.

local uv = vim.loop
local api = vim.api
local t_start = uv.hrtime()

local SERVER = os.getenv('FLUX_NVIM_SERVER')
local FLEET = os.getenv('FLUX_NVIM_FLEET')
local BROKEN = os.getenv('FLUX_NVIM_BROKEN')
local RESULT = os.getenv('FLUX_NVIM_RESULT')
local SHAPES = os.getenv('FLUX_NVIM_SHAPES')
local OPERATOR = os.getenv('FLUX_NVIM_OPERATOR')
local GENERATED = os.getenv('FLUX_NVIM_GENERATED')
local TENANTS = os.getenv('FLUX_NVIM_TENANTS')
local IMPACT = os.getenv('FLUX_NVIM_IMPACT')
local REQUEST_MS = 5000

local results = { nvim = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), scenarios = {}, logs = {} }

local function elapsed_ms(since)
  return (uv.hrtime() - since) / 1e6
end

local function write_results()
  results.total_ms = elapsed_ms(t_start)
  local f = assert(io.open(RESULT, 'w'))
  f:write(vim.fn.json_encode(results))
  f:close()
end

local function finish(code)
  local ok, err = pcall(write_results)
  if not ok then
    io.stderr:write('lsp_test.lua: could not write results: ' .. tostring(err) .. '\n')
    vim.cmd('cquit 3')
  end
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end

if not (SERVER and FLEET and BROKEN and RESULT) then
  io.stderr:write('lsp_test.lua: FLUX_NVIM_SERVER, FLUX_NVIM_FLEET, FLUX_NVIM_BROKEN and FLUX_NVIM_RESULT must be set\n')
  vim.cmd('cquit 2')
end

-- ---------------------------------------------------------------------------------------------------------------
-- helpers

local function fail(msg)
  error(msg, 0)
end

local function check(cond, msg)
  if not cond then fail(msg) end
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    fail(string.format('%s: expected %s, got %s', what, vim.inspect(expected), vim.inspect(actual)))
  end
end

local function join(...)
  return table.concat({ ... }, '/')
end

local function rel(path, base)
  if path:sub(1, #base + 1) == base .. '/' then return path:sub(#base + 2) end
  return path
end

local function none(v)
  return v == nil or v == vim.NIL
end

local client_id
local logs = {}

local function scenario(name, fn)
  local t = uv.hrtime()
  local ok, detail = xpcall(fn, function(e)
    if type(e) == 'string' and not e:find('\n') and not e:find('^[^:]+%.lua:%d+:') then return e end
    return debug.traceback(tostring(e), 2)
  end)
  local entry = { name = name, ok = ok, detail = tostring(detail or ''), ms = math.floor(elapsed_ms(t) * 10 + 0.5) / 10 }
  table.insert(results.scenarios, entry)
  return ok
end

--- Opens a file in the current window and attaches the client (didOpen with languageId = filetype).
local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local buf = api.nvim_get_current_buf()
  check(api.nvim_buf_get_name(buf) == path, 'opened ' .. api.nvim_buf_get_name(buf) .. ', wanted ' .. path)
  -- 0.7's buf_attach_client returns nil (not true) when the buffer is already attached.
  if not vim.lsp.buf_is_attached(buf, client_id) then
    check(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed for ' .. path)
  end
  return buf
end

--- 0-based LSP position (UTF-16 character) and 1-based cursor {row, byte col} of the `nth` occurrence of `needle`
--- (plain text), searching from 1-based line `from_line`, plus `delta` bytes.
local function locate(buf, needle, delta, from_line)
  local lines = api.nvim_buf_get_lines(buf, 0, -1, false)
  for i = from_line or 1, #lines do
    local s = lines[i]:find(needle, 1, true)
    if s then
      local byte = s - 1 + (delta or 0)
      local _, utf16 = vim.str_utfindex(lines[i], byte)
      return { line = i - 1, character = utf16 }, { i, byte }
    end
  end
  fail(string.format('%q not found in %s', needle, api.nvim_buf_get_name(buf)))
end

local function text_params(buf, pos)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = pos }
end

--- One request through Neovim's own machinery (buf_request_sync), answered by our client.
local function request(buf, method, params)
  local responses, err = vim.lsp.buf_request_sync(buf, method, params, REQUEST_MS)
  check(responses, method .. ': ' .. tostring(err or 'no response'))
  local r = responses[client_id]
  check(r, method .. ': no response from flux-fleet')
  check(none(r.err) and none(r.error), method .. ': server error ' .. vim.inspect(r.err or r.error))
  return r.result
end

--- Location | Location[] | LocationLink[] | null → { {path, line, character} } (0-based).
local function locations(result)
  if none(result) then return {} end
  if result.uri or result.targetUri then result = { result } end
  local out = {}
  for _, l in ipairs(result) do
    local uri = l.uri or l.targetUri
    local range = l.range or l.targetSelectionRange
    table.insert(out, { path = vim.uri_to_fname(uri), line = range.start.line, character = range.start.character })
  end
  return out
end

--- Text of `range` (LSP, UTF-16) in a loaded buffer.
local function range_text(buf, range)
  local line = api.nvim_buf_get_lines(buf, range.start.line, range.start.line + 1, false)[1] or ''
  check(range['end'].line == range.start.line, 'multi-line range ' .. vim.inspect(range))
  local s = vim.str_byteindex(line, range.start.character, true)
  local e = vim.str_byteindex(line, range['end'].character, true)
  return line:sub(s + 1, e)
end

local function diagnostics_of(path)
  local buf = vim.fn.bufnr(path)
  if buf < 0 then return {} end
  return vim.diagnostic.get(buf)
end

--- All flux-fleet diagnostics Neovim holds, by file.
local function all_diagnostics()
  local by_file = {}
  for _, d in ipairs(vim.diagnostic.get()) do
    if d.source == 'flux-fleet' then
      local name = api.nvim_buf_get_name(d.bufnr)
      by_file[name] = by_file[name] or {}
      table.insert(by_file[name], d)
    end
  end
  return by_file
end

local function codes_under(dir)
  local set = {}
  for file, ds in pairs(all_diagnostics()) do
    if file:sub(1, #dir + 1) == dir .. '/' then
      for _, d in ipairs(ds) do set[d.code] = true end
    end
  end
  local list = vim.tbl_keys(set)
  table.sort(list)
  return list
end

--- Waits (event loop running) until `pred` holds; fails with `what` after `ms`.
local function wait_for(ms, what, pred)
  local ok = vim.wait(ms, pred, 10)
  check(ok, 'timed out after ' .. ms .. ' ms waiting for ' .. what)
end

-- ---------------------------------------------------------------------------------------------------------------
-- fixture paths

local PLATFORM = join(FLEET, 'platform')
local TENANT_A = join(FLEET, 'tenant-a')
local SYNC = join(PLATFORM, 'tenants/tenant-a/sync.yaml')
local GOTK_SYNC = join(PLATFORM, 'clusters/prod/flux-system/gotk-sync.yaml')
local BASE_KUST = join(PLATFORM, 'apps/base/kustomization.yaml')
local PATH_NOT_FOUND = join(BROKEN, 'platform/clusters/prod/path-not-found.yaml')
local SOURCE_NOT_FOUND = join(BROKEN, 'platform/clusters/prod/source-not-found.yaml')
local ALL_CODES = {
  'dependency-cycle', 'duplicate-object', 'empty-prune-path', 'include-cycle', 'object-not-found', 'outside-root',
  'path-not-found', 'remote-base-not-mapped', 'source-not-found', 'source-not-mapped', 'yaml-syntax',
}

-- ---------------------------------------------------------------------------------------------------------------
-- scenarios

local function run()
  vim.cmd('filetype on') -- or FileType never fires and didOpen carries languageId ''
  vim.o.swapfile = false
  vim.o.hidden = true
  vim.o.shortmess = vim.o.shortmess .. 'AFIW'

  local ready = scenario('server starts and indexes the fleet (4 workspace folders)', function()
    local t = uv.hrtime()
    client_id = vim.lsp.start_client({
      name = 'flux-fleet',
      cmd = { 'node', SERVER, '--stdio' },
      root_dir = PLATFORM,
      workspace_folders = {
        { uri = vim.uri_from_fname(PLATFORM), name = 'platform' },
        { uri = vim.uri_from_fname(TENANT_A), name = 'tenant-a' },
        -- platform's .flux-fleet.yaml maps ../tenant-b: a repository's own mappings stay inside the workspace folders
        { uri = vim.uri_from_fname(join(FLEET, 'tenant-b')), name = 'tenant-b' },
        { uri = vim.uri_from_fname(BROKEN), name = 'broken' },
      },
      handlers = {
        ['window/logMessage'] = function(_, result)
          table.insert(logs, result.message)
          table.insert(results.logs, result.message)
        end,
      },
      on_exit = function(code, signal)
        table.insert(results.logs, string.format('server exited: code %s signal %s', tostring(code), tostring(signal)))
      end,
    })
    check(client_id, 'vim.lsp.start_client returned nil (is node on PATH?)')
    wait_for(10000, 'initialize', function()
      local c = vim.lsp.get_client_by_id(client_id)
      return c ~= nil and c.initialized == true
    end)
    local t_init = elapsed_ms(t)
    -- The server logs "flux-fleet: N repositories, M YAML files indexed in X ms" when its index exists; before that
    -- it answers every request with an empty result.
    local indexed
    wait_for(15000, 'the index log message', function()
      for _, m in ipairs(logs) do
        if m:find('YAML files indexed', 1, true) then indexed = m; return true end
      end
      return false
    end)
    -- Diagnostics are published right after that message; wait until every code of the broken fixture has arrived.
    wait_for(10000, 'diagnostics of every finding code', function()
      return #codes_under(BROKEN) >= #ALL_CODES
    end)
    return string.format('initialized in %.0f ms; %s; all diagnostics after %.0f ms', t_init, indexed, elapsed_ms(t))
  end)
  if not ready then return end

  scenario('1 definition on spec.path ./deploy jumps into the tenant-a repository', function()
    local buf = open(SYNC)
    local pos, cursor = locate(buf, './deploy', 3)
    local locs = locations(request(buf, 'textDocument/definition', text_params(buf, pos)))
    eq(vim.tbl_map(function(l) return rel(l.path, FLEET) end, locs), { 'tenant-a/deploy/kustomization.yaml' }, 'definition targets')
    -- And Neovim's own handler (what `gd` with vim.lsp.buf.definition does) actually opens that file.
    api.nvim_win_set_cursor(0, cursor)
    vim.lsp.buf.definition()
    local target = join(TENANT_A, 'deploy/kustomization.yaml')
    wait_for(REQUEST_MS, 'vim.lsp.buf.definition() to open ' .. target, function()
      return api.nvim_buf_get_name(0) == target
    end)
    local row = api.nvim_win_get_cursor(0)[1]
    eq(row, locs[1].line + 1, 'cursor row after the jump')
    return string.format('-> %s:%d (vim.lsp.buf.definition() opened it)', rel(target, FLEET), row)
  end)

  scenario('2 hover on spec.path ./deploy names tenant-a/deploy', function()
    local buf = open(SYNC)
    local pos = locate(buf, './deploy', 3)
    local h = request(buf, 'textDocument/hover', text_params(buf, pos))
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and (h.contents.value or vim.inspect(h.contents)) or tostring(h.contents)
    eq(type(h.contents) == 'table' and h.contents.kind, 'markdown', 'hover contents kind')
    check(value:find('tenant-a/deploy', 1, true), 'hover does not mention tenant-a/deploy: ' .. value)
    check(not none(h.range), 'hover has no range')
    eq(range_text(buf, h.range), './deploy', 'text under the hover range')
    -- Neovim can turn it into the lines of its floating window.
    local lines = vim.lsp.util.trim_empty_lines(vim.lsp.util.convert_input_to_markdown_lines(h.contents))
    check(#lines > 0, 'Neovim renders the hover as no lines')
    return string.format('%d lines: %s', #lines, (value:gsub('\n', ' '):sub(1, 100)))
  end)

  scenario('3 definition on sourceRef name tenant-a jumps to line 5 of the same file', function()
    local buf = open(SYNC)
    local sref = locate(buf, 'sourceRef:')
    local pos, cursor = locate(buf, 'name: tenant-a', 7, sref.line + 1)
    local locs = locations(request(buf, 'textDocument/definition', text_params(buf, pos)))
    eq(#locs, 1, 'number of definitions')
    eq(locs[1].path, SYNC, 'definition file')
    eq(locs[1].line + 1, 5, 'definition line (1-based)')
    eq(locs[1].character, 8, 'definition character (start of tenant-a in `  name: tenant-a`)')
    api.nvim_win_set_cursor(0, cursor)
    vim.lsp.buf.definition()
    wait_for(REQUEST_MS, 'vim.lsp.buf.definition() to move the cursor to line 5', function()
      return api.nvim_buf_get_name(0) == SYNC and api.nvim_win_get_cursor(0)[1] == 5
    end)
    return string.format('from line %d -> line %d col %d', cursor[1], locs[1].line + 1, locs[1].character + 1)
  end)

  scenario('4 diagnostics: path-not-found at line 8, source-not-found, none on the healthy fleet', function()
    local pnf = vim.tbl_filter(function(d) return d.code == 'path-not-found' end, diagnostics_of(PATH_NOT_FOUND))
    eq(#pnf, 1, 'path-not-found diagnostics in path-not-found.yaml')
    eq(pnf[1].lnum + 1, 8, 'path-not-found line (1-based)')
    eq(pnf[1].col, 8, 'path-not-found column (0-based byte)')
    eq(pnf[1].severity, vim.diagnostic.severity.ERROR, 'path-not-found severity')
    eq(pnf[1].source, 'flux-fleet', 'path-not-found source')
    local snf = vim.tbl_filter(function(d) return d.code == 'source-not-found' end, diagnostics_of(SOURCE_NOT_FOUND))
    eq(#snf, 1, 'source-not-found diagnostics in source-not-found.yaml')
    eq(snf[1].lnum + 1, 12, 'source-not-found line (1-based, `name: flux-sytem`)')
    eq(#vim.diagnostic.get(open(SYNC)), 0, 'diagnostics on the healthy tenants/tenant-a/sync.yaml')
    local healthy = {}
    for file, ds in pairs(all_diagnostics()) do
      if file:sub(1, #FLEET + 1) == FLEET .. '/' then
        for _, d in ipairs(ds) do
          -- the healthy fleet keeps deprecated kustomize fields on purpose (deprecated-api), and notes on helmCharts
          if not ((d.code == 'deprecated-api' and rel(file, FLEET) == 'platform/apps/base/kustomization.yaml') or d.severity == 3) then
            table.insert(healthy, rel(file, FLEET) .. ': ' .. d.code)
          end
        end
      end
    end
    eq(healthy, {}, 'diagnostics anywhere in the healthy fleet')
    eq(codes_under(BROKEN), ALL_CODES, 'finding codes across the broken fixture')
    return string.format('path-not-found 8:%d "%s"; source-not-found line 12; %d codes in broken/, 0 in fleet/',
      pnf[1].col + 1, pnf[1].message, #ALL_CODES)
  end)

  scenario('5 references on GitRepository flux-system list apps.yaml, infra.yaml, tenants.yaml', function()
    local buf = open(GOTK_SYNC)
    local pos, cursor = locate(buf, 'name: flux-system', 7)
    eq(pos.line + 1, 4, 'line of the GitRepository name')
    local params = text_params(buf, pos)
    params.context = { includeDeclaration = false }
    local refs = locations(request(buf, 'textDocument/references', params))
    local files = {}
    for _, r in ipairs(refs) do files[rel(r.path, PLATFORM)] = true end
    files = vim.tbl_keys(files)
    table.sort(files)
    -- gotk-sync.yaml itself holds the bootstrap Kustomization's sourceRef to flux-system.
    eq(files, { 'clusters/prod/apps.yaml', 'clusters/prod/flux-system/gotk-sync.yaml', 'clusters/prod/infra.yaml', 'clusters/prod/tenants.yaml' }, 'files of the references')
    for _, r in ipairs(refs) do
      check(r.path ~= GOTK_SYNC or r.line ~= 3, 'includeDeclaration=false but the declaration (line 4) is listed')
    end
    -- Neovim's own handler: vim.lsp.buf.references() fills the quickfix list.
    vim.fn.setqflist({}, 'r', { title = 'none', items = {} })
    api.nvim_win_set_cursor(0, cursor)
    vim.lsp.buf.references({ includeDeclaration = false })
    wait_for(REQUEST_MS, 'the References quickfix list', function()
      return vim.fn.getqflist({ title = 1 }).title == 'References'
    end)
    local qf = vim.fn.getqflist()
    vim.cmd('cclose')
    eq(#qf, #refs, 'quickfix entries')
    for _, item in ipairs(qf) do
      check(item.text:find('flux-system', 1, true), 'quickfix line does not show flux-system: ' .. item.text)
    end
    return string.format('%d locations in %s; quickfix has %d entries', #refs, table.concat(files, ', '), #qf)
  end)

  scenario("6 code action on path-not-found offers Change to './apps/prod'", function()
    local buf = open(PATH_NOT_FOUND)
    local _, cursor = locate(buf, './apps/prdo', 2)
    api.nvim_win_set_cursor(0, cursor)
    -- Exactly what vim.lsp.buf.code_action() sends: the line's diagnostics converted back to LSP, the cursor range.
    local diags = vim.lsp.diagnostic.get_line_diagnostics(buf, cursor[1] - 1, {}, client_id)
    eq(vim.tbl_map(function(d) return d.code end, diags), { 'path-not-found' }, 'LSP diagnostics of line 8')
    check(not none(diags[1].data), 'Neovim dropped the diagnostic data the quick-fix needs')
    local params = vim.lsp.util.make_range_params(0, 'utf-16')
    params.context = { diagnostics = diags }
    local actions = request(buf, 'textDocument/codeAction', params)
    check(not none(actions), 'codeAction returned null')
    local titles = vim.tbl_map(function(a) return a.title end, actions)
    eq(titles[1], "Change to './apps/prod'", 'first code action (' .. table.concat(titles, ' | ') .. ')')
    eq(actions[1].kind, 'quickfix', 'kind')
    check(vim.tbl_contains(titles, 'Create apps/prdo/kustomization.yaml'), 'no Create action: ' .. table.concat(titles, ' | '))
    local edit = actions[1].edit.documentChanges[1]
    eq(vim.uri_to_fname(edit.textDocument.uri), PATH_NOT_FOUND, 'edited file')
    eq(edit.edits[1].newText, './apps/prod', 'replacement text')
    eq(range_text(buf, edit.edits[1].range), './apps/prdo', 'replaced text')
    results.quick_fix = actions[1]
    return table.concat(titles, ' | ')
  end)

  scenario('6b applying the quick-fix in the buffer clears the diagnostic (incremental didChange)', function()
    check(results.quick_fix, 'scenario 6 found no quick-fix')
    local buf = vim.fn.bufnr(PATH_NOT_FOUND)
    api.nvim_set_current_buf(buf)
    vim.lsp.util.apply_workspace_edit(results.quick_fix.edit, 'utf-16')
    results.quick_fix = nil
    eq(api.nvim_buf_get_lines(buf, 7, 8, false)[1], '  path: ./apps/prod', 'line 8 after the edit')
    wait_for(3000, 'the path-not-found diagnostic to clear', function()
      return #vim.diagnostic.get(buf) == 0
    end)
    -- Undo (the file on disk is never written) and the finding comes back.
    vim.cmd('silent undo')
    eq(api.nvim_buf_get_lines(buf, 7, 8, false)[1], '  path: ./apps/prdo', 'line 8 after undo')
    wait_for(3000, 'the path-not-found diagnostic to return', function()
      local ds = vim.diagnostic.get(buf)
      return #ds == 1 and ds[1].code == 'path-not-found' and ds[1].lnum == 7
    end)
    check(not vim.bo[buf].modified, 'buffer still modified after undo')
    return 'cleared after the edit, back after undo'
  end)

  scenario('7 document links of apps/base/kustomization.yaml include deployment.yaml', function()
    local buf = open(BASE_KUST)
    local links = request(buf, 'textDocument/documentLink', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
    check(not none(links), 'documentLink returned null')
    local dir = vim.fn.fnamemodify(BASE_KUST, ':h')
    local targets, bad = {}, {}
    for _, l in ipairs(links) do
      local target = rel(vim.uri_to_fname(l.target), dir)
      table.insert(targets, target)
      -- The link sits on the text that names its target.
      local text = range_text(buf, l.range)
      if text:gsub('^%./', '') ~= target then table.insert(bad, string.format('%q -> %s', text, target)) end
    end
    table.sort(targets)
    check(vim.tbl_contains(targets, 'deployment.yaml'), 'no link to deployment.yaml: ' .. table.concat(targets, ', '))
    eq(targets, {
      'app.env', 'app.properties', 'chart-values.yaml', 'config.json', 'config/name-reference.yaml', 'crds/widget.yaml',
      'deployment.yaml', 'generators/extra-config.yaml', 'patches/json6902.yaml', 'patches/psm.yaml',
      'patches/replicas.yaml', 'replacements/image.yaml', 'secret.txt', 'service.yaml', 'transformers/labels.yaml',
    }, 'link targets')
    eq(bad, {}, 'link ranges whose text is not their target')
    return string.format('%d links', #links)
  end)

  scenario('8 completion on spec.path lists the folders of the tenant-a repository (the source), not the platform', function()
    local buf = open(SYNC)
    local pos = locate(buf, './deploy', 2)
    local params = text_params(buf, pos)
    params.context = { triggerKind = 2, triggerCharacter = '/' }
    local result = request(buf, 'textDocument/completion', params)
    check(not none(result), 'completion returned null')
    local items = result.items or result
    local labels = {}
    for _, i in ipairs(items) do table.insert(labels, i.label) end
    table.sort(labels)
    eq(labels, { './charts', './deploy', './shared' }, 'completion labels')
    for _, i in ipairs(items) do
      eq(i.insertTextFormat, 1, 'plain text for a client without snippet support (' .. i.label .. ')')
      eq(range_text(buf, i.textEdit.range), './deploy', 'text the item replaces')
    end
    return table.concat(labels, ', ')
  end)

  scenario('8b completion on a sourceRef name: the GitRepository visible from the namespace first', function()
    local buf = open(SYNC)
    local sref = locate(buf, 'sourceRef:')
    local pos = locate(buf, 'name: tenant-a', 6, sref.line + 1)
    local result = request(buf, 'textDocument/completion', text_params(buf, pos))
    local items = result.items or result
    table.sort(items, function(a, b) return (a.sortText or a.label) < (b.sortText or b.label) end)
    eq(items[1].label, 'tenant-a', 'first item')
    eq(items[1].kind, 18, 'kind Reference')
    check(items[1].documentation and items[1].documentation.kind == 'markdown', 'markdown documentation')
    return string.format('%d items, first %s (%s)', #items, items[1].label, items[1].detail)
  end)

  scenario('9 hover on ${tenant} in a tenant HelmRelease: its value per context and where the platform defines it', function()
    local buf = open(join(TENANT_A, 'deploy/release.yaml'))
    local h = request(buf, 'textDocument/hover', text_params(buf, (locate(buf, '${tenant}', 3))))
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('Flux postBuild variable', 1, true), 'not a variable hover: ' .. value)
    check(value:find('`"tenant-a"` on 1 context', 1, true), 'no value per context: ' .. value)
    check(value:find('ConfigMap tenant-vars at platform/tenants/tenant-a/kustomization.yaml:9', 1, true), 'not where it is defined: ' .. value)
    return (value:gsub('\n', ' '):sub(1, 140))
  end)

  scenario('9b hover on a HelmRelease field: its effective value in the context that deploys it', function()
    local buf = open(join(TENANT_A, 'deploy/release.yaml'))
    local h = request(buf, 'textDocument/hover', text_params(buf, (locate(buf, 'interval: 10m', 11))))
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('Effective value', 1, true), 'no effective value: ' .. value)
    -- One short table per value: context → value → the layer and line that set it → what it overrode.
    check(value:find('\n\n`spec.interval` of HelmRelease tenant-a/web\n\n| Contexts | Value | Set by | Overrode |\n', 1, true), 'not one table for this field: ' .. value)
    check(value:find('| tenant-a/tenant-a | `"10m"` | resource · `tenant-a/deploy/release.yaml:6` | — |', 1, true), 'not the row of the context that deploys it: ' .. value)
    return (value:gsub('\n', ' '):sub(1, 140))
  end)

  scenario('9c hover on a key (`interval:`): what the field is, from the HelmRelease schema', function()
    local buf = open(join(TENANT_A, 'deploy/release.yaml'))
    local h = request(buf, 'textDocument/hover', text_params(buf, (locate(buf, 'interval: 10m', 2))))
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('**spec.interval** · string — HelmRelease `helm.toolkit.fluxcd.io/v2`\n\nInterval at which to reconcile the Helm release.', 1, true), 'not the schema description: ' .. value)
    return (value:gsub('\n', ' '):sub(1, 140))
  end)

  scenario('10 a variable spec.path (a second server on test/fixtures/real-shapes): the missing context only, hover and definition per context; the Outline', function()
    local shapes_fleet = join(SHAPES, 'fleet')
    local id = vim.lsp.start_client({
      name = 'flux-fleet-shapes',
      cmd = { 'node', SERVER, '--stdio' },
      root_dir = shapes_fleet,
      workspace_folders = {
        { uri = vim.uri_from_fname(shapes_fleet), name = 'fleet' },
        { uri = vim.uri_from_fname(join(SHAPES, 'apps')), name = 'apps' },
      },
    })
    check(id, 'second start_client returned nil')
    local attach = function(path)
      vim.cmd('edit ' .. vim.fn.fnameescape(path))
      local buf = api.nvim_get_current_buf()
      if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach ' .. path) end
      return buf
    end
    local ask = function(buf, method, params)
      local responses, e = vim.lsp.buf_request_sync(buf, method, params, REQUEST_MS)
      check(responses and responses[id], method .. ': ' .. tostring(e or 'no response'))
      check(none(responses[id].err), method .. ': ' .. vim.inspect(responses[id].err))
      return responses[id].result
    end
    wait_for(10000, 'initialize of the second server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    local web = join(shapes_fleet, 'tenants/web.yaml')
    local web_buf = attach(web)
    -- The finding comes from the evaluated contexts (after the link findings).
    wait_for(15000, 'path-not-found on tenants/web.yaml', function()
      for _, d in ipairs(vim.diagnostic.get(web_buf)) do if d.code == 'path-not-found' then return true end end
      return false
    end)
    local ds = vim.diagnostic.get(web_buf)
    eq(#ds, 1, 'diagnostics on web.yaml')
    eq(ds[1].lnum, 7, 'line of spec.path')
    check(ds[1].message:find("becomes './web/prod'", 1, true), 'message: ' .. ds[1].message)
    check(not ds[1].message:find('staging', 1, true), 'staging named: ' .. ds[1].message)
    local buf = attach(join(shapes_fleet, 'tenants/apps.yaml'))
    local pos = locate(buf, '${ENVIRONMENT}', 3)
    local h = ask(buf, 'textDocument/hover', text_params(buf, pos))
    local value = type(h) == 'table' and type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('`./apps/prod` → `apps/apps/prod`', 1, true), 'hover: ' .. value)
    check(value:find('`./apps/staging` → `apps/apps/staging`', 1, true), 'hover: ' .. value)
    local locs = locations(ask(buf, 'textDocument/definition', text_params(buf, pos)))
    local got = {}
    for _, l in ipairs(locs) do table.insert(got, rel(l.path, SHAPES)) end
    table.sort(got)
    eq(table.concat(got, ' '), 'apps/apps/prod/kustomization.yaml apps/apps/staging/kustomization.yaml', 'definitions')
    -- The Outline: textDocument/documentSymbol names the file's document.
    local syms = ask(buf, 'textDocument/documentSymbol', { textDocument = { uri = vim.uri_from_bufnr(buf) } })
    eq(#syms, 1, 'document symbols')
    eq(syms[1].name, 'Kustomization flux-system/apps', 'symbol name')
    vim.lsp.stop_client(id)
    return string.format('%d definitions; %s', #locs, ds[1].message:sub(1, 80))
  end)

  scenario('11 hover on << inputs.role >> in a ResourceSet (a third server on test/fixtures/operator-fleet): each input set\'s value', function()
    local id = vim.lsp.start_client({
      name = 'flux-fleet-operator',
      cmd = { 'node', SERVER, '--stdio' },
      root_dir = join(OPERATOR, 'platform'),
      workspace_folders = {
        { uri = vim.uri_from_fname(join(OPERATOR, 'platform')), name = 'platform' },
        { uri = vim.uri_from_fname(join(OPERATOR, 'tenants')), name = 'tenants' },
      },
    })
    check(id, 'third start_client returned nil')
    wait_for(10000, 'initialize of the third server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    vim.cmd('edit ' .. vim.fn.fnameescape(join(OPERATOR, 'platform/clusters/prod/tenants/inline.yaml')))
    local buf = api.nvim_get_current_buf()
    if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach inline.yaml') end
    local pos = locate(buf, 'inputs.role', 8)
    local responses, e = vim.lsp.buf_request_sync(buf, 'textDocument/hover', text_params(buf, pos), REQUEST_MS)
    check(responses and responses[id], 'hover: ' .. tostring(e or 'no response'))
    local h = responses[id].result
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('**inputs.role** — ResourceSet flux-system/teams', 1, true), 'hover: ' .. value)
    check(value:find('input set 0 (tenant: team-a, role: admin): `"admin"` — spec.inputs at platform/clusters/prod/tenants/inline.yaml:9', 1, true), 'hover: ' .. value)
    check(value:find('input set 1 (tenant: team-b, role: view): `"view"`', 1, true), 'hover: ' .. value)
    eq(range_text(buf, h.range), 'inputs.role', 'text under the hover range')
    vim.lsp.stop_client(id)
    return (value:gsub('\n', ' '):sub(1, 140))
  end)
  scenario('11b objects a ResourceSet generates (a server on test/fixtures/operator-generated): schema and lock diagnostics at the template lines, the generated release\'s values in the hover', function()
    local id = vim.lsp.start_client({
      name = 'flux-fleet-generated',
      cmd = { 'node', SERVER, '--stdio' },
      root_dir = GENERATED,
      workspace_folders = { { uri = vim.uri_from_fname(GENERATED), name = 'platform' } },
    })
    check(id, 'start_client on operator-generated returned nil')
    wait_for(10000, 'initialize of the operator-generated server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    vim.cmd('edit ' .. vim.fn.fnameescape(join(GENERATED, 'clusters/prod/apps.yaml')))
    local buf = api.nvim_get_current_buf()
    if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach apps.yaml') end
    local found = function()
      local out = {}
      for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(out, string.format('%s %d:%d', tostring(d.code), d.lnum + 1, d.col + 1)) end
      table.sort(out)
      return out
    end
    -- The lock on the generated release comes from the evaluated build (the background tier), after the schema's.
    wait_for(30000, 'missing-required and schema on apps.yaml', function() return table.concat(found(), ',') == 'missing-required 27:13,schema 31:7' end)
    local schema
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == 'schema' then schema = d end end
    check(schema.message:find('relaseName', 1, true) and schema.message:find('releaseName', 1, true), 'schema message: ' .. schema.message)
    check(schema.message:find('of ResourceSet flux-system/apps', 1, true), 'names the ResourceSet: ' .. schema.message)
    local pos = locate(buf, 'enabled: true', 10)
    local responses, e = vim.lsp.buf_request_sync(buf, 'textDocument/hover', text_params(buf, pos), REQUEST_MS)
    check(responses and responses[id], 'hover: ' .. tostring(e or 'no response'))
    local h = responses[id].result
    check(not none(h), 'hover returned null')
    local value = type(h.contents) == 'table' and h.contents.value or ''
    check(value:find('`values.ingress.enabled` of HelmRelease team-a/podinfo, HelmRelease team-b/podinfo', 1, true), 'hover: ' .. value)
    check(value:find('spec.values (ResourceSet flux-system/apps, input set 0 (tenant: team-a, replicas: 2))', 1, true), 'hover: ' .. value)
    vim.lsp.stop_client(id)
    return (schema.message:sub(1, 120))
  end)
  scenario('12 tenant rules (a fourth server on test/fixtures/tenants): tenant-escape at its two lines in team-beta, with lockdown and fix; the clean tenant has none', function()
    local folders = {}
    for _, f in ipairs({ 'platform', 'team-alpha', 'team-beta', 'shared-bases' }) do
      table.insert(folders, { uri = vim.uri_from_fname(join(TENANTS, f)), name = f })
    end
    local id = vim.lsp.start_client({ name = 'flux-fleet-tenants', cmd = { 'node', SERVER, '--stdio' }, root_dir = join(TENANTS, 'platform'), workspace_folders = folders })
    check(id, 'fourth start_client returned nil')
    wait_for(10000, 'initialize of the fourth server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    local attach = function(path)
      vim.cmd('edit ' .. vim.fn.fnameescape(path))
      local buf = api.nvim_get_current_buf()
      if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach ' .. path) end
      return buf
    end
    local escape = attach(join(TENANTS, 'team-beta/deploy/escape.yaml'))
    -- Tenant findings come from the evaluated builds (the background tier), after the file's own.
    local escapes = function()
      local out = {}
      for _, d in ipairs(vim.diagnostic.get(escape)) do if d.code == 'tenant-escape' then table.insert(out, d) end end
      table.sort(out, function(a, b) return a.lnum < b.lnum end)
      return out
    end
    wait_for(30000, 'two tenant-escape diagnostics on escape.yaml', function() return #escapes() == 2 end)
    local ds = escapes()
    eq(ds[1].lnum, 3, 'line of the ClusterRole name')
    eq(ds[2].lnum, 13, 'line of the namespace alpha')
    eq(ds[1].severity, vim.diagnostic.severity.ERROR, 'severity')
    check(ds[1].message:find('Tenant beta, tenant-escape: its build creates ClusterRole beta-reader', 1, true), 'message: ' .. ds[1].message)
    check(ds[2].message:find('which belongs to tenant alpha', 1, true), 'message: ' .. ds[2].message)
    check(ds[2].message:find('Lockdown: --no-cross-namespace-refs=true at platform/clusters/prod/flux-system/kustomization.yaml:9', 1, true), 'lockdown named: ' .. ds[2].message)
    local clean = attach(join(TENANTS, 'team-alpha/deploy/release.yaml'))
    vim.wait(500)
    for _, d in ipairs(vim.diagnostic.get(clean)) do
      check(not (d.code == 'tenant-escape' or d.code == 'no-service-account' or d.code == 'cross-namespace-ref' or d.code == 'remote-base' or d.code == 'rbac-broadening'), 'clean tenant got ' .. tostring(d.code))
    end
    vim.lsp.stop_client(id)
    return (ds[1].message:sub(1, 120))
  end)

  scenario('13 Fleet Impact (a fifth server on a Git repository made by run.mjs): an unsaved typo in a prune: true spec.path; prune-deletes at its line; fluxFleet/impact answers', function()
    local changed = {}
    local id = vim.lsp.start_client({
      name = 'flux-fleet-impact',
      cmd = { 'node', SERVER, '--stdio' },
      root_dir = IMPACT,
      workspace_folders = { { uri = vim.uri_from_fname(IMPACT), name = 'fleet' } },
      init_options = { impact = { baseline = 'HEAD' } },
      handlers = { ['fluxFleet/impactChanged'] = function(_, result) table.insert(changed, result) end },
    })
    check(id, 'fifth start_client returned nil')
    wait_for(10000, 'initialize of the fifth server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    local file = join(IMPACT, 'clusters/prod/apps.yaml')
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    local buf = api.nvim_get_current_buf()
    if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach apps.yaml') end
    wait_for(20000, 'the first impactChanged (nothing edited)', function() return #changed > 0 end)
    eq(#changed[1].contexts, 0, 'contexts changed before the edit')
    eq(api.nvim_buf_get_lines(buf, 7, 8, false)[1], '  path: ./apps/prod', 'line 8 before the edit')
    api.nvim_buf_set_lines(buf, 7, 8, false, { '  path: ./apps/prdo' })
    local prune
    wait_for(20000, 'a prune-deletes diagnostic on line 8', function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == 'prune-deletes' then prune = d; return true end end
      return false
    end)
    eq(prune.lnum, 7, 'prune-deletes line (0-based)')
    eq(prune.severity, vim.diagnostic.severity.ERROR, 'prune-deletes severity (it deletes a Namespace)')
    check(prune.message:find('Namespace shop', 1, true), 'message: ' .. prune.message)
    local responses, e = vim.lsp.buf_request_sync(buf, 'fluxFleet/impact', {}, 20000)
    check(responses and responses[id], 'fluxFleet/impact: ' .. tostring(e or 'no response'))
    check(none(responses[id].err), 'fluxFleet/impact: ' .. vim.inspect(responses[id].err))
    local impact = responses[id].result
    eq(impact.baseline.label, 'HEAD', 'baseline')
    eq(impact.totals.deletions, 2, 'deletions')
    local objects = {}
    for _, c in ipairs(impact.contexts) do
      for _, o in ipairs(c.objects) do table.insert(objects, c.cluster .. ' ' .. c.name .. ': ' .. o.status .. ' ' .. o.kind .. ' ' .. o.name) end
    end
    eq(objects, {
      'fleet/clusters/prod/flux-system flux-system/flux-system: changed Kustomization apps',
      'fleet/clusters/prod/flux-system flux-system/apps: removed Deployment web',
      'fleet/clusters/prod/flux-system flux-system/apps: removed Namespace shop',
    }, 'objects by context')
    eq(impact.changedFiles[1].uri, vim.uri_from_fname(file), 'changed file')
    vim.cmd('silent undo')
    wait_for(20000, 'prune-deletes to clear after undo', function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == 'prune-deletes' then return false end end
      return true
    end)
    vim.lsp.stop_client(id)
    return (prune.message:sub(1, 120))
  end)

  scenario('13b files made and deleted on disk outside the editor (the server\'s own watcher: Neovim 0.7 has none): a new folder\'s kustomization gets path-not-found, the missing file written clears it, the folder deleted drops it', function()
    local id = vim.lsp.start_client({ name = 'flux-fleet-disk', cmd = { 'node', SERVER, '--stdio' }, root_dir = IMPACT, workspace_folders = { { uri = vim.uri_from_fname(IMPACT), name = 'fleet' } } })
    check(id, 'start_client for the disk scenario returned nil')
    wait_for(10000, 'initialize of the disk scenario server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    -- (the server watches once it is initialized; let it index the repository first)
    vim.wait(1000)
    local dir = join(IMPACT, 'extra/team')
    local kust = join(dir, 'kustomization.yaml')
    local codes_of = function()
      local out = {}
      for file, ds in pairs(all_diagnostics()) do
        if file == kust then for _, d in ipairs(ds) do table.insert(out, d.code .. ':' .. d.lnum) end end
      end
      table.sort(out)
      return out
    end
    local write = function(path, text)
      local f = assert(io.open(path, 'w'))
      f:write(text)
      f:close()
    end
    check(vim.fn.mkdir(dir, 'p') == 1, 'mkdir ' .. dir)
    write(kust, 'resources:\n  - missing.yaml\n')
    wait_for(15000, 'path-not-found on the kustomization made on disk', function() return vim.deep_equal(codes_of(), { 'path-not-found:1' }) end)
    write(join(dir, 'missing.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made-on-disk\n')
    wait_for(15000, 'path-not-found to clear once the file is written', function() return #codes_of() == 0 end)
    -- Broken again, then the whole folder deleted: nothing is left reported for it.
    os.remove(join(dir, 'missing.yaml'))
    wait_for(15000, 'path-not-found again once the file is deleted', function() return #codes_of() == 1 end)
    check(vim.fn.delete(join(IMPACT, 'extra'), 'rf') == 0, 'delete extra/')
    wait_for(15000, 'the deleted folder\'s finding to go', function() return #codes_of() == 0 end)
    vim.lsp.stop_client(id)
    return 'path-not-found at extra/team/kustomization.yaml:2 came, cleared, came back and went with the folder'
  end)

  scenario('14 rename GitRepository flux-system: prepareRename, the edit covers every sourceRef; a bad name is refused with the reason', function()
    local buf = open(GOTK_SYNC)
    local pos = locate(buf, 'name: flux-system', 7)
    local prep = request(buf, 'textDocument/prepareRename', text_params(buf, pos))
    check(not none(prep), 'prepareRename answered nothing')
    eq(prep.placeholder, 'flux-system', 'placeholder')
    eq(range_text(buf, prep.range), 'flux-system', 'the range is the name')
    local params = text_params(buf, pos)
    params.newName = 'platform-repo'
    local edit = request(buf, 'textDocument/rename', params)
    local files, count = {}, 0
    for _, change in ipairs(edit.documentChanges or {}) do
      files[rel(vim.uri_to_fname(change.textDocument.uri), PLATFORM)] = true
      for _, e in ipairs(change.edits) do
        eq(e.newText, 'platform-repo', 'new text')
        count = count + 1
      end
    end
    files = vim.tbl_keys(files)
    table.sort(files)
    eq(files, { 'clusters/prod/apps.yaml', 'clusters/prod/flux-system/gotk-sync.yaml', 'clusters/prod/infra.yaml', 'clusters/prod/tenants.yaml' }, 'files of the rename')
    params.newName = 'Not_A_Name'
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/rename', params, REQUEST_MS)
    local r = responses and responses[client_id]
    local err = r and (r.err or r.error)
    check(err and tostring(err.message):find('not a valid Kubernetes object name', 1, true), 'refusal: ' .. vim.inspect(r))
    return string.format('%d edits in %s; a bad name refused: %s', count, table.concat(files, ', '), err.message)
  end)

  scenario('15 fluxFleet/move components/monitoring: one WorkspaceEdit renaming its files and rewriting both references, with the proof; onto an existing folder refused with the reason', function()
    local buf = open(GOTK_SYNC)
    local params = { from = vim.uri_from_fname(join(PLATFORM, 'components/monitoring')), to = vim.uri_from_fname(join(PLATFORM, 'components/observability')) }
    local edit = request(buf, 'fluxFleet/move', params)
    local renames, edited = {}, {}
    for _, change in ipairs(edit.documentChanges or {}) do
      if change.kind == 'rename' then
        table.insert(renames, rel(vim.uri_to_fname(change.oldUri), PLATFORM) .. ' -> ' .. rel(vim.uri_to_fname(change.newUri), PLATFORM))
      elseif change.textDocument then
        for _, e in ipairs(change.edits) do
          -- The empty insert under the review annotation only makes VS Code open its preview.
          if e.annotationId == 'fluxFleet.review' then check(e.newText == '', 'the review insert is empty') else table.insert(edited, rel(vim.uri_to_fname(change.textDocument.uri), PLATFORM) .. ': ' .. e.newText) end
        end
      end
    end
    table.sort(edited)
    eq(renames, { 'components/monitoring/kustomization.yaml -> components/observability/kustomization.yaml', 'components/monitoring/servicemonitor.yaml -> components/observability/servicemonitor.yaml' }, 'renames')
    eq(edited, { 'apps/prod/kustomization.yaml: ../../components/observability', 'clusters/prod/infra.yaml: ../components/observability' }, 'edits')
    local note = edit.changeAnnotations['fluxFleet.operation']
    check(note.needsConfirmation == false and edit.changeAnnotations['fluxFleet.review'].needsConfirmation == true, 'only the review insert asks for confirmation (the plan\'s changes come ticked)')
    check(note.description:find('every context renders the same', 1, true), 'the proof: ' .. tostring(note.description))
    params.to = vim.uri_from_fname(join(PLATFORM, 'apps/prod'))
    local responses = vim.lsp.buf_request_sync(buf, 'fluxFleet/move', params, REQUEST_MS)
    local r = responses and responses[client_id]
    local err = r and (r.err or r.error)
    check(err and tostring(err.message):find('exists: a move never overwrites', 1, true), 'refusal: ' .. vim.inspect(r))
    return string.format('%d renames, %d edits (%s); onto apps/prod: %s', #renames, #edited, note.description, err.message)
  end)

  scenario('16 add tenant (a server on a copy of test/fixtures/tenants with team-gamma): fluxFleet/addTenant answers a WorkspaceEdit that opens the preview, copying tenant alpha; an existing name is refused', function()
    local TENANTS = os.getenv('FLUX_NVIM_ADD')
    local folders = {}
    for _, f in ipairs({ 'platform', 'team-alpha', 'team-beta', 'shared-bases', 'team-gamma' }) do
      table.insert(folders, { uri = vim.uri_from_fname(join(TENANTS, f)), name = f })
    end
    local id = vim.lsp.start_client({ name = 'flux-fleet-add', cmd = { 'node', SERVER, '--stdio' }, root_dir = join(TENANTS, 'platform'), workspace_folders = folders })
    check(id, 'start_client returned nil')
    wait_for(10000, 'initialize of the add-tenant server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    local client = vim.lsp.get_client_by_id(id)
    vim.cmd('edit ' .. vim.fn.fnameescape(join(TENANTS, 'platform/tenants/kustomization.yaml')))
    local buf = api.nvim_get_current_buf()
    if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach') end
    local params = { name = 'gamma', repoUrl = 'https://github.com/tenancy-example/team-gamma', folderUri = vim.uri_from_fname(join(TENANTS, 'team-gamma')), clusters = { 'prod' } }
    local r = client.request_sync('fluxFleet/addTenant', params, 60000, buf)
    check(r and r.result, 'no WorkspaceEdit: ' .. vim.inspect(r))
    local edit = r.result
    local created, edited = {}, {}
    for _, change in ipairs(edit.documentChanges or {}) do
      if change.kind == 'create' then table.insert(created, rel(vim.uri_to_fname(change.uri), TENANTS))
      elseif change.textDocument then edited[rel(vim.uri_to_fname(change.textDocument.uri), TENANTS)] = change.edits[1].newText end
      check(change.annotationId == 'fluxFleet.operation' or (change.edits and change.edits[1].annotationId == 'fluxFleet.operation'), 'annotated: ' .. vim.inspect(change))
    end
    table.sort(created)
    eq(created, { 'platform/tenants/gamma/kustomization.yaml', 'platform/tenants/gamma/namespace.yaml', 'platform/tenants/gamma/rbac.yaml', 'platform/tenants/gamma/sync.yaml', 'team-gamma/deploy/kustomization.yaml', 'team-gamma/deploy/tenant.yaml' }, 'new files')
    eq(edited['platform/tenants/kustomization.yaml'], '\n  - gamma', 'the list entry')
    check(edit.changeAnnotations['fluxFleet.review'].needsConfirmation == true, 'the review insert asks for confirmation')
    eq(edit.changeAnnotations['fluxFleet.operation'].label, 'Add tenant gamma (following tenant alpha)', 'label')
    params.name = 'alpha'
    local refused = client.request_sync('fluxFleet/addTenant', params, 60000, buf)
    local err = refused and (refused.err or refused.error)
    check(err and tostring(err.message):find('tenant alpha exists', 1, true), 'refusal: ' .. vim.inspect(refused))
    vim.lsp.stop_client(id)
    return string.format('%d new files, %s; refused: %s', #created, edit.changeAnnotations['fluxFleet.operation'].label, err.message)
  end)

  scenario('16b add app (a server on test/fixtures/add-app): fluxFleet/addAppRequired names the required keys with their reasons; fluxFleet/addApp without them is refused naming them, with them (the command arguments) answers the WorkspaceEdit', function()
    local PLATFORM = os.getenv('FLUX_NVIM_ADD_APP')
    local id = vim.lsp.start_client({ name = 'flux-fleet-add-app', cmd = { 'node', SERVER, '--stdio' }, root_dir = PLATFORM, workspace_folders = { { uri = vim.uri_from_fname(PLATFORM), name = 'platform' } } })
    check(id, 'start_client returned nil')
    wait_for(10000, 'initialize of the add-app server', function()
      local c = vim.lsp.get_client_by_id(id)
      return c ~= nil and c.initialized == true
    end)
    local client = vim.lsp.get_client_by_id(id)
    vim.cmd('edit ' .. vim.fn.fnameescape(join(PLATFORM, 'apps/prod/kustomization.yaml')))
    local buf = api.nvim_get_current_buf()
    if not vim.lsp.buf_is_attached(buf, id) then check(vim.lsp.buf_attach_client(buf, id), 'attach') end
    local base = vim.uri_from_fname(join(PLATFORM, 'bases/web'))
    local req = client.request_sync('fluxFleet/addAppRequired', { baseUri = base }, 60000, buf)
    check(req and req.result, 'no required values: ' .. vim.inspect(req))
    eq(req.result, { { key = 'ingress.host', reason = 'every app serves its own host' }, { key = 'owner', reason = 'every release names its owning team' } }, 'required values')
    local params = { name = 'web', baseUri = base, toUri = vim.uri_from_fname(join(PLATFORM, 'apps/prod')) }
    local refused = client.request_sync('fluxFleet/addApp', params, 60000, buf)
    local err = refused and (refused.err or refused.error)
    check(err and tostring(err.message):find('web requires ingress.host (every app serves its own host), owner', 1, true), 'refusal: ' .. vim.inspect(refused))
    params.values = { ['ingress.host'] = 'web.example.com', owner = 'team-web' }
    local r = client.request_sync('fluxFleet/addApp', params, 60000, buf)
    check(r and r.result, 'no WorkspaceEdit: ' .. vim.inspect(r))
    local created = {}
    for _, change in ipairs(r.result.documentChanges or {}) do
      if change.kind == 'create' then table.insert(created, rel(vim.uri_to_fname(change.uri), PLATFORM)) end
    end
    table.sort(created)
    eq(created, { 'apps/prod/web/kustomization.yaml', 'apps/prod/web/values.yaml' }, 'new files')
    vim.lsp.stop_client(id)
    return string.format('%d required values; refused: %s; then %d new files', #req.result, err.message, #created)
  end)

  scenario('14b rename the variable ${tenant} at its use: the use and the configMapGenerator literal that defines it (two repositories); an invalid name is refused', function()
    local buf = open(join(TENANT_A, 'deploy/release.yaml'))
    local pos = locate(buf, '${tenant}', 3)
    local prep = request(buf, 'textDocument/prepareRename', text_params(buf, pos))
    check(not none(prep), 'prepareRename answered nothing')
    eq(prep.placeholder, 'tenant', 'placeholder')
    eq(range_text(buf, prep.range), 'tenant', 'the range is the name inside ${}')
    local params = text_params(buf, pos)
    params.newName = 'team'
    local edit = request(buf, 'textDocument/rename', params)
    local places = {}
    for _, change in ipairs(edit.documentChanges or {}) do
      for _, e in ipairs(change.edits) do
        eq(e.newText, 'team', 'new text')
        table.insert(places, string.format('%s:%d', rel(vim.uri_to_fname(change.textDocument.uri), FLEET), e.range.start.line + 1))
      end
    end
    table.sort(places)
    eq(places, { 'platform/tenants/tenant-a/kustomization.yaml:9', 'tenant-a/deploy/release.yaml:20' }, 'places of the rename')
    params.newName = '1team'
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/rename', params, REQUEST_MS)
    local r = responses and responses[client_id]
    local err = r and (r.err or r.error)
    check(err and tostring(err.message):find('not a valid Flux variable name', 1, true), 'refusal: ' .. vim.inspect(r))
    return string.format('%s; refused: %s', table.concat(places, ', '), err.message)
  end)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  table.insert(results.scenarios, { name = 'lsp_test.lua crashed', ok = false, detail = tostring(err), ms = 0 })
end

-- Shut the server down properly and record whether it exits.
if client_id then
  local t = uv.hrtime()
  vim.lsp.stop_client(client_id)
  local stopped = vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  results.shutdown_ms = elapsed_ms(t)
  results.shutdown_clean = stopped
end

local failed = 0
for _, s in ipairs(results.scenarios) do
  if not s.ok then failed = failed + 1 end
end
finish(failed == 0 and 0 or 1)
