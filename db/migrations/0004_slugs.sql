-- The article's slug as a column, so "is this slug taken?" is an index lookup.
ALTER TABLE documents ADD COLUMN slug TEXT;
CREATE INDEX documents_by_slug ON documents (slug) WHERE slug IS NOT NULL AND slug <> '';
