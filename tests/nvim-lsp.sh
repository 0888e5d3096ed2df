#!/usr/bin/env bash
# Editor test: Neovim (headless) with wrangler-lint --lsp as its language
# server, configured with vim.lsp.start_client (Neovim 0.7, Debian 12's). It
# opens a config, waits for the diagnostics and reads them back with
# vim.diagnostic.get(), hovers a key, applies the quick fix the server offers,
# checks the buffer, and waits for the diagnostic to go (Neovim sends the edit
# as an incremental change). Skipped (77) when nvim is not installed.
# usage: tests/nvim-lsp.sh WRANGLER_LINT_BINARY
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if ! command -v nvim >/dev/null 2>&1; then
	echo "SKIP: nvim is not installed (apt-get install neovim)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/app"
cat >"$tmp/app/wrangler.jsonc" <<'EOF'
{
  "name": "w",
  "compatibility_date": "2024-01-01",
  "migrations": [
    { "tag": "v1", "new_sqlite_clases": ["Counter"] }
  ],
  "durable_objects": {
    "bindings": [{ "name": "COUNTER", "class_name": "Counter" }]
  }
}
EOF
cat >"$tmp/test.lua" <<'EOF'
local bin, dir, out = _G.WL_BIN, _G.WL_DIR, _G.WL_OUT
local log = {}
local failed = false
local function check(cond, what)
  table.insert(log, (cond and 'ok   ' or 'FAIL ') .. what)
  if not cond then failed = true end
end
local function finish()
  local f = io.open(out, 'w')
  f:write(table.concat(log, '\n') .. '\n')
  f:close()
  vim.cmd(failed and 'cquit' or 'qall!')
end

local client_id = vim.lsp.start_client({
  name = 'wrangler-lint',
  cmd = { bin, '--lsp' },
  root_dir = dir,
})
check(client_id ~= nil, 'start_client')
vim.cmd('edit ' .. dir .. '/app/wrangler.jsonc')
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function codes()
  local seen = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    seen[code or '?'] = d
  end
  return seen
end

local got = vim.wait(10000, function() return codes()['do-migration-unknown-key'] ~= nil end, 20)
check(got, 'diagnostics arrive (vim.diagnostic.get)')
local d = codes()['do-migration-unknown-key']
if d == nil then return finish() end
check(d.lnum == 4 and d.col == 19, 'at line 5, column 20 (got ' .. d.lnum .. ':' .. d.col .. ')')
check(d.source == 'wrangler-lint', 'source wrangler-lint')
check(d.severity == vim.diagnostic.severity.ERROR, 'an error')
check(d.message:find('new_sqlite_classes', 1, true) ~= nil, 'message names the right key')

local client = vim.lsp.get_client_by_id(client_id)
check(client.offset_encoding == 'utf-16', 'utf-16 (got ' .. tostring(client.offset_encoding) .. ')')

-- Hover on "compatibility_date".
local hover = client.request_sync('textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  position = { line = 2, character = 5 },
}, 5000, buf)
local value = hover and hover.result and hover.result.contents and hover.result.contents.value or ''
check(value:find('YYYY-MM-DD', 1, true) ~= nil, 'hover shows the key\'s schema help')

-- The code actions at the diagnostic; apply the quick fix.
vim.api.nvim_win_set_cursor(0, { 5, 22 })
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf) }
local res = client.request_sync('textDocument/codeAction', params, 5000, buf)
local fix, disable
for _, a in ipairs(res and res.result or {}) do
  if a.title:find('^rename to') then fix = a end
  if a.title:find('^Disable do%-migration%-unknown%-key') then disable = a end
end
check(fix ~= nil and fix.kind == 'quickfix' and fix.isPreferred == true, 'a preferred quickfix')
check(disable ~= nil, 'a disable-for-this-line action')
if fix == nil then return finish() end
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
local line = vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]
check(line == '    { "tag": "v1", "new_sqlite_classes": ["Counter"] }', 'buffer fixed: ' .. line)

local gone = vim.wait(10000, function() return codes()['do-migration-unknown-key'] == nil end, 20)
check(gone, 'the diagnostic goes after the incremental change')
check(next(codes()) == nil, 'no diagnostics left')

-- Disable comment on a new problem: break the name's type.
vim.api.nvim_buf_set_lines(buf, 1, 2, false, { '  "name": 5,' })
got = vim.wait(10000, function() return codes()['schema-type'] ~= nil end, 20)
check(got, 'a new diagnostic after an edit')
vim.api.nvim_win_set_cursor(0, { 2, 10 })
params = vim.lsp.util.make_range_params()
params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf) }
res = client.request_sync('textDocument/codeAction', params, 5000, buf)
disable = nil
for _, a in ipairs(res and res.result or {}) do
  if a.title:find('^Disable schema%-type') then disable = a end
end
check(disable ~= nil, 'disable schema-type offered')
if disable then
  vim.lsp.util.apply_workspace_edit(disable.edit, client.offset_encoding)
  local l2 = vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1]
  check(l2 == '  // wrangler-lint-disable-next-line schema-type', 'comment inserted: ' .. l2)
  gone = vim.wait(10000, function() return next(codes()) == nil end, 20)
  check(gone, 'suppressed')
end

client.stop()
finish()
EOF
status=0
WL_BIN=$bin WL_DIR=$tmp WL_OUT=$tmp/result timeout 60 nvim --headless -n -i NONE -u NONE \
	-c "lua _G.WL_BIN = os.getenv('WL_BIN'); _G.WL_DIR = os.getenv('WL_DIR'); _G.WL_OUT = os.getenv('WL_OUT')" \
	-c "luafile $tmp/test.lua" </dev/null >"$tmp/nvim.out" 2>&1 || status=$?
if [ -f "$tmp/result" ]; then
	cat "$tmp/result"
else
	echo "FAIL: nvim wrote no result (status $status)"
	cat "$tmp/nvim.out"
	exit 1
fi
if [ "$status" -ne 0 ] || grep -q '^FAIL' "$tmp/result"; then
	exit 1
fi
echo "nvim-lsp: all checks passed"
