-- Drives `iamlint lsp` from a real Neovim (0.7+, headless): open, change, code action, save.
-- tests/lsp_client.rs runs it and checks what it writes to $IAMLINT_OUT (JSON).
local bin = os.getenv("IAMLINT_BIN")
local doc = os.getenv("IAMLINT_DOC")
local out = os.getenv("IAMLINT_OUT")
local changed_text = vim.fn.json_decode(os.getenv("IAMLINT_CHANGED"))
local result = { steps = {} }

local function finish(ok, err)
  result.ok = ok
  result.error = err and tostring(err) or nil
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

local publishes = 0

local function simplify(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data or {}).lsp or {}
    table.insert(list, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source,
      code = lsp.code or d.code,
      related = lsp.relatedInformation and #lsp.relatedInformation or 0,
      name = lsp.data and lsp.data.name or vim.NIL,
    })
  end
  table.sort(list, function(a, b) return a.col < b.col end)
  return list
end

local function wait_for(what, predicate)
  if not vim.wait(15000, predicate, 20) then
    error("timed out waiting for " .. what)
  end
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(doc))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "iamlint",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.fnamemodify(doc, ":h"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(e, res, ctx, config)
        publishes = publishes + 1
        return vim.lsp.diagnostic.on_publish_diagnostics(e, res, ctx, config)
      end,
    },
  })
  assert(client_id, "the client did not start")
  vim.lsp.buf_attach_client(bufnr, client_id)

  wait_for("diagnostics on open", function() return #vim.diagnostic.get(bufnr) > 0 end)
  result.steps.opened = simplify(bufnr)
  local original = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)

  -- Changing the buffer sends didChange; the server answers with new diagnostics.
  local before = publishes
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, vim.split(changed_text, "\n"))
  wait_for("diagnostics on change", function() return publishes > before end)
  result.steps.changed = simplify(bufnr)

  before = publishes
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, original)
  wait_for("diagnostics on undoing the change", function() return publishes > before end)

  -- The quick fix for the finding on line 3, applied as Neovim applies any code action.
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 2, character = 0 }, ["end"] = { line = 2, character = 1000 } },
    context = { diagnostics = {}, only = { "quickfix" } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 15000)
  local titles = {}
  for _, response in pairs(responses or {}) do
    assert(not response.err, vim.inspect(response.err))
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
  result.steps.actions = titles
  wait_for("diagnostics after the fix", function() return #vim.diagnostic.get(bufnr) == 0 end)

  -- Saving sends didSave, which re-lints too.
  before = publishes
  vim.cmd("write")
  wait_for("diagnostics on save", function() return publishes > before end)
  result.steps.saved = simplify(bufnr)
end)
finish(ok, err)
