INSERT INTO parents (id, name, status, created_at) VALUES ('rparentsx0', 'r0@example.com', 'draft', 1767225600);
INSERT INTO parents (id, name, status, created_at) VALUES ('rparentsx1', 'r1@example.com', 'active', 1767225660);
INSERT INTO parents (id, name, status, created_at) VALUES ('rparentsx2', 'r2@example.com', 'draft', 1767225720);
INSERT INTO children (id, parent_id, note) VALUES ('rchildrenx0', 'rparentsx0', 'r0@example.com');
INSERT INTO children (id, parent_id, note) VALUES ('rchildrenx1', 'rparentsx1', 'r1@example.com');
INSERT INTO children (id, parent_id, note) VALUES ('rchildrenx2', 'rparentsx2', 'r2@example.com');
INSERT INTO logs (id, message, level, created_at) VALUES ('rlogsx0', 'r0@example.com', 'r0@example.com', 1767225600);
INSERT INTO logs (id, message, level, created_at) VALUES ('rlogsx1', 'r1@example.com', 'r1@example.com', 1767225660);
INSERT INTO logs (id, message, level, created_at) VALUES ('rlogsx2', 'r2@example.com', 'r2@example.com', 1767225720);
