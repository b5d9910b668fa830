-- netdocs: put the vetted image files into pandoc's media bag.
--
-- pandoc runs in --sandbox and reads no file but its input and its filters; filters are not
-- sandboxed. The metadata field "netdocs-media" maps each media key (media/<sha256>.png, see
-- pipeline/render/media.py) to a file Python has vetted; this filter loads exactly those files
-- and removes the field, so no path of the build machine reaches the output.
function Pandoc(doc)
  local media = doc.meta["netdocs-media"]
  if media ~= nil then
    for key, path in pairs(media) do
      local file = pandoc.utils.stringify(path)
      local f = assert(io.open(file, "rb"))
      local data = f:read("a")
      f:close()
      local ext = key:match("%.(%w+)$"):lower()
      local mime = ({png = "image/png", gif = "image/gif"})[ext] or "image/jpeg"
      pandoc.mediabag.insert(key, mime, data)
    end
  end
  doc.meta["netdocs-media"] = nil
  return doc
end
