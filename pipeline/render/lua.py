"""The pandoc Lua filter that expands netdocs Markdown blocks (see :mod:`.pandoc`).

Input: a document of ``Div.netdocs-block`` elements, each holding the Markdown of one block as
a raw block, with attributes ``index``, ``offset`` (heading shift), ``anchor`` (target key of
the block) and ``name`` (for warnings). For each block the filter:

- parses the Markdown with ``pandoc.read`` (format in the ``netdocs-format`` metadata);
- shifts heading levels by ``offset`` (at most 9, Word's deepest heading);
- renames heading ids to ``anchor#id`` and same-article links ``#id`` to ``#anchor#id``;
- marks relative links as ``netdocs-link:INDEX:href`` for Python to resolve;
- leaves images as written: Python vets them afterwards (:mod:`.media`);
- wraps the block in a ``Div`` whose id (the anchor) pandoc writes as a bookmark and whose
  ``netdocs-index`` attribute names the block, and ends it with a boundary paragraph
  ``NETDOCS-BOUNDARY-INDEX``.
"""

from __future__ import annotations

BOUNDARY_PREFIX = "NETDOCS-BOUNDARY-"
LINK_PREFIX = "netdocs-link:"
WARNING_PREFIX = "netdocs-warning:"

LUA_FILTER = r"""
local BOUNDARY = "NETDOCS-BOUNDARY-"
local LINK = "netdocs-link:"

local function has_scheme(s)
  return s:match("^[%a][%w+.-]*:") ~= nil
end

local function warn(msg)
  io.stderr:write("netdocs-warning: " .. msg .. "\n")
end

local function expand(div, fmt)
  local a = div.attributes
  local index = a["index"]
  local offset = tonumber(a["offset"]) or 0
  local anchor = a["anchor"] or ""
  local name = a["name"] or ("block " .. index)
  local raw = div.content[1]
  -- pandoc drops the last pipe-table row of text that does not end with a newline
  local doc = pandoc.read(raw.text .. "\n", fmt)
  local function shift_id(id)
    if id == "" or anchor == "" then return id end
    return anchor .. "#" .. id
  end
  doc = doc:walk({
    Header = function(h)
      h.level = math.max(1, math.min(9, h.level + offset))
      h.identifier = shift_id(h.identifier)
      return h
    end,
    Link = function(l)
      local t = l.target
      if t:sub(1, 1) == "#" then
        if anchor ~= "" then l.target = "#" .. shift_id(t:sub(2)) end
      elseif t ~= "" and not has_scheme(t) then
        l.target = LINK .. index .. ":" .. t
      end
      return l
    end,
  })
  local out = pandoc.List()
  out:insert(pandoc.Div(doc.blocks, pandoc.Attr(anchor, {}, {{"netdocs-index", index}})))
  out:insert(pandoc.RawBlock("openxml",
    "<w:p><w:r><w:t>" .. BOUNDARY .. index .. "</w:t></w:r></w:p>"))
  return out
end

function Pandoc(doc)
  local fmt = pandoc.utils.stringify(doc.meta["netdocs-format"] or "commonmark_x")
  local blocks = pandoc.List()
  for _, blk in ipairs(doc.blocks) do
    if blk.t == "Div" and blk.classes:includes("netdocs-block") then
      blocks:extend(expand(blk, fmt))
    else
      blocks:insert(blk)
    end
  end
  doc.blocks = blocks
  doc.meta["netdocs-format"] = nil
  return doc
end
"""
