-- A coord store at schema version 1, for tests/test_migrations.py. Never edit.
BEGIN TRANSACTION;
CREATE TABLE assignment (
	id INTEGER NOT NULL, 
	duty_id INTEGER NOT NULL, 
	stakeholder_id INTEGER, 
	role_id INTEGER, 
	letter VARCHAR(1) NOT NULL, 
	valid_from DATE, 
	valid_to DATE, 
	source VARCHAR(16) NOT NULL, 
	agreement_key VARCHAR, 
	agreement_version INTEGER, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_assignment_letter CHECK (letter IN ('R', 'A', 'C', 'I')), 
	CONSTRAINT ck_assignment_one_party CHECK ((stakeholder_id IS NULL) <> (role_id IS NULL)), 
	FOREIGN KEY(duty_id) REFERENCES duty (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id), 
	FOREIGN KEY(role_id) REFERENCES role (id)
);
INSERT INTO "assignment" VALUES(1,1,1,NULL,'A',NULL,NULL,'manual',NULL,NULL);
CREATE TABLE contact (
	id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	value VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
INSERT INTO "contact" VALUES(1,1,'phone','020-1',0);
CREATE TABLE coord_meta (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR, 
	PRIMARY KEY ("key")
);
INSERT INTO "coord_meta" VALUES('app','coordkit');
INSERT INTO "coord_meta" VALUES('schema_version','1');
INSERT INTO "coord_meta" VALUES('event_head','9a4dd16c436c1cceff0e709050aa18ab7544abb2668ab6c549d7a0c746a5d475');
CREATE TABLE coord_migration (
	name VARCHAR(128) NOT NULL, 
	applied_at VARCHAR NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO "coord_migration" VALUES('m001_initial','2026-11-27T18:58:41+00:00');
CREATE TABLE duty (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	title VARCHAR NOT NULL, 
	title_zh VARCHAR, 
	category VARCHAR, 
	due_on DATE, 
	PRIMARY KEY (id), 
	UNIQUE (project_id, "key"), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);
INSERT INTO "duty" VALUES(1,1,'report','Report',NULL,NULL,NULL);
CREATE TABLE event (
	id INTEGER NOT NULL, 
	at VARCHAR(32) NOT NULL, 
	actor VARCHAR NOT NULL, 
	action VARCHAR(64) NOT NULL, 
	entity VARCHAR(32) NOT NULL, 
	"key" VARCHAR NOT NULL, 
	"before" VARCHAR, 
	"after" VARCHAR, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "event" VALUES(1,'2026-11-27T18:58:42.208552Z','root','stakeholder.add','stakeholder','liede-sw',NULL,'{"active":true,"contacts":[{"channel":"phone","value":"020-1"}],"influence":null,"interest":null,"interests":null,"key":"liede-sw","kind":"social-organisation","name":"Liede SW","name_zh":"猎德社工站","representatives":[]}','0000000000000000000000000000000000000000000000000000000000000000','fa6a7cc17c10fa11188cf8312e775fe4e4a36a64a3add2cdfb39174eb3ae47a2');
INSERT INTO "event" VALUES(2,'2026-11-27T18:58:42.915402Z','root','project.add','project','liede-renjia',NULL,'{"current":false,"duties":0,"end":null,"key":"liede-renjia","lead":null,"name":"Liede Renjia","name_zh":null,"roles":0,"start":"2024-01-01"}','fa6a7cc17c10fa11188cf8312e775fe4e4a36a64a3add2cdfb39174eb3ae47a2','c5cc878f551c366a34edfec888fee7f422dbfcc74508da995cce111f0ec1d9d7');
INSERT INTO "event" VALUES(3,'2026-11-27T18:58:43.554953Z','root','duty.add','duty','liede-renjia/report',NULL,'{"assignments":[],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','c5cc878f551c366a34edfec888fee7f422dbfcc74508da995cce111f0ec1d9d7','fd21ed876e2f690ed0bc52f25c3396e69be17b1ff73b2363614213dfd077b503');
INSERT INTO "event" VALUES(4,'2026-11-27T18:58:44.190685Z','root','duty.assign','duty','liede-renjia/report','{"assignments":[],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','{"assignments":[{"from":null,"letter":"A","role":null,"source":"manual","stakeholder":"liede-sw","to":null}],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','fd21ed876e2f690ed0bc52f25c3396e69be17b1ff73b2363614213dfd077b503','9a4dd16c436c1cceff0e709050aa18ab7544abb2668ab6c549d7a0c746a5d475');
CREATE TABLE project (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	name VARCHAR NOT NULL, 
	name_zh VARCHAR, 
	starts_on DATE, 
	ends_on DATE, 
	lead_id INTEGER, 
	PRIMARY KEY (id), 
	UNIQUE ("key"), 
	FOREIGN KEY(lead_id) REFERENCES stakeholder (id)
);
INSERT INTO "project" VALUES(1,'liede-renjia','Liede Renjia',NULL,'2024-01-01',NULL,NULL);
CREATE TABLE representative (
	id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	title VARCHAR, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
CREATE TABLE role (
	id INTEGER NOT NULL, 
	project_id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	name VARCHAR NOT NULL, 
	description VARCHAR, 
	PRIMARY KEY (id), 
	UNIQUE (project_id, "key"), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);
CREATE TABLE role_holder (
	id INTEGER NOT NULL, 
	role_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	valid_from DATE, 
	valid_to DATE, 
	PRIMARY KEY (id), 
	FOREIGN KEY(role_id) REFERENCES role (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
CREATE TABLE stakeholder (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	name VARCHAR NOT NULL, 
	name_zh VARCHAR, 
	kind VARCHAR(32) NOT NULL, 
	influence INTEGER, 
	interest INTEGER, 
	interests VARCHAR, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
INSERT INTO "stakeholder" VALUES(1,'liede-sw','Liede SW','猎德社工站','social-organisation',NULL,NULL,NULL,1);
CREATE INDEX ix_event_key ON event ("key");
CREATE INDEX ix_contact_stakeholder_id ON contact (stakeholder_id);
CREATE INDEX ix_representative_stakeholder_id ON representative (stakeholder_id);
CREATE INDEX ix_role_project_id ON role (project_id);
CREATE INDEX ix_duty_project_id ON duty (project_id);
CREATE INDEX ix_role_holder_stakeholder_id ON role_holder (stakeholder_id);
CREATE INDEX ix_role_holder_role_id ON role_holder (role_id);
CREATE INDEX ix_assignment_duty_id ON assignment (duty_id);
CREATE INDEX ix_assignment_stakeholder ON assignment (stakeholder_id);
COMMIT;
