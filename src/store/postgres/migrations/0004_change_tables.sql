-- Which tables a change wrote: a bit for each of the world's tables, in the order an instance
-- reads them (pg_read.h, Table). A catch-up then reads only the tables its changes wrote, not
-- all fifteen (docs/postgresql-design.md, "Keeping each replica current"). NULL (the rows of
-- changes made before this column, or by an instance that does not know it): every table.
ALTER TABLE changes ADD COLUMN tables BIGINT CHECK (tables >= 0);
