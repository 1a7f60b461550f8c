-- A coord store at schema version 1, for tests/test_migrations.py. Never edit.
BEGIN TRANSACTION;
CREATE TABLE agreement (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	project_id INTEGER NOT NULL, 
	kind VARCHAR(32) NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE ("key"), 
	FOREIGN KEY(project_id) REFERENCES project (id)
);
INSERT INTO "agreement" VALUES(1,'AGR-2024-001',1,'activity','2026-11-27T19:21:39+00:00');
CREATE TABLE agreement_obligation (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	text VARCHAR NOT NULL, 
	duty_id INTEGER, 
	letter VARCHAR(1), 
	due_on DATE, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(version_id) REFERENCES agreement_version (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id), 
	FOREIGN KEY(duty_id) REFERENCES duty (id)
);
INSERT INTO "agreement_obligation" VALUES(1,1,1,'Report monthly',1,'R',NULL,0);
CREATE TABLE agreement_party (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	label VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(version_id) REFERENCES agreement_version (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
INSERT INTO "agreement_party" VALUES(1,1,2,'Party A',0);
INSERT INTO "agreement_party" VALUES(2,1,1,'Party B',1);
CREATE TABLE agreement_resource (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	amount VARCHAR NOT NULL, 
	unit VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(version_id) REFERENCES agreement_version (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
CREATE TABLE agreement_term (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	section VARCHAR(16) NOT NULL, 
	stakeholder_id INTEGER, 
	text VARCHAR NOT NULL, 
	position INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(version_id) REFERENCES agreement_version (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
CREATE TABLE agreement_version (
	id INTEGER NOT NULL, 
	agreement_id INTEGER NOT NULL, 
	number INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	title_zh VARCHAR, 
	status VARCHAR(16) NOT NULL, 
	effective DATE, 
	expires DATE, 
	review_every VARCHAR(16), 
	languages VARCHAR(32) NOT NULL, 
	terms_hash VARCHAR(64), 
	frozen_at VARCHAR, 
	terminated_on DATE, 
	termination_reason VARCHAR, 
	PRIMARY KEY (id), 
	UNIQUE (agreement_id, number), 
	FOREIGN KEY(agreement_id) REFERENCES agreement (id)
);
INSERT INTO "agreement_version" VALUES(1,1,1,'Reports',NULL,'circulating','2024-01-01',NULL,NULL,'en','126543ab4c1c761f838a508f2f8b68d9a706d1fd999f295fc190ba153728ab22','2026-11-27T19:21:43+00:00',NULL,NULL);
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
INSERT INTO "coord_meta" VALUES('event_head','4bd12546252222e73de18411a051d5f3b9f471abc1394bca0af06a3b87741e19');
CREATE TABLE coord_migration (
	name VARCHAR(128) NOT NULL, 
	applied_at VARCHAR NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO "coord_migration" VALUES('m001_initial','2026-11-27T19:21:33+00:00');
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
INSERT INTO "event" VALUES(1,'2026-11-27T19:21:34.995709Z','root','stakeholder.add','stakeholder','liede-sw',NULL,'{"active":true,"contacts":[{"channel":"phone","value":"020-1"}],"influence":null,"interest":null,"interests":null,"key":"liede-sw","kind":"social-organisation","name":"Liede SW","name_zh":"猎德社工站","representatives":[]}','0000000000000000000000000000000000000000000000000000000000000000','1574c7eaadc525b171163baa785d9a5027a5fe69fec53d262f71ce8b778ec917');
INSERT INTO "event" VALUES(2,'2026-11-27T19:21:36.201907Z','root','stakeholder.add','stakeholder','liede-street',NULL,'{"active":true,"contacts":[],"influence":null,"interest":null,"interests":null,"key":"liede-street","kind":"government","name":"Liede Street","name_zh":null,"representatives":[]}','1574c7eaadc525b171163baa785d9a5027a5fe69fec53d262f71ce8b778ec917','f43a3e75da9db0b79282e62312bf60012f403069f939d5a8542bf7e05d49176b');
INSERT INTO "event" VALUES(3,'2026-11-27T19:21:37.143139Z','root','project.add','project','liede-renjia',NULL,'{"current":false,"duties":0,"end":null,"key":"liede-renjia","lead":null,"name":"Liede Renjia","name_zh":null,"roles":0,"start":"2024-01-01"}','f43a3e75da9db0b79282e62312bf60012f403069f939d5a8542bf7e05d49176b','5d3c194337aed125934bea8bd9db1215a0f2e07642c6d4c821e2a80bdbbb052e');
INSERT INTO "event" VALUES(4,'2026-11-27T19:21:38.111935Z','root','duty.add','duty','liede-renjia/report',NULL,'{"assignments":[],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','5d3c194337aed125934bea8bd9db1215a0f2e07642c6d4c821e2a80bdbbb052e','23f706c543b1616d6cebbc6020c2010ea2ce6fc262a5c2050d89c4e5e4180d7f');
INSERT INTO "event" VALUES(5,'2026-11-27T19:21:38.977509Z','root','duty.assign','duty','liede-renjia/report','{"assignments":[],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','{"assignments":[{"from":null,"letter":"A","role":null,"source":"manual","stakeholder":"liede-sw","to":null}],"category":null,"due":null,"key":"report","project":"liede-renjia","title":"Report","title_zh":null}','23f706c543b1616d6cebbc6020c2010ea2ce6fc262a5c2050d89c4e5e4180d7f','86c1f216aa59282e8ed12ff9f44a336f4f265e639b6c445d6c619233d8aa4b9f');
INSERT INTO "event" VALUES(6,'2026-11-27T19:21:39.876773Z','root','agreement.new','agreement','AGR-2024-001',NULL,'{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"draft","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','86c1f216aa59282e8ed12ff9f44a336f4f265e639b6c445d6c619233d8aa4b9f','9f2f0976948fd57b573fb7934da579cf53a601b3b8ccb4489f9616d8e78b455e');
INSERT INTO "event" VALUES(7,'2026-11-27T19:21:40.834421Z','root','agreement.obligation.add','agreement','AGR-2024-001','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"draft","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[{"as":"R","due":null,"duty":"report","party":"liede-sw","text":"Report monthly"}],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"draft","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','9f2f0976948fd57b573fb7934da579cf53a601b3b8ccb4489f9616d8e78b455e','4bb3da1a45ad83c4911043d43cbec4f5a879cfece1a476820fbb11f791b2941b');
INSERT INTO "event" VALUES(8,'2026-11-27T19:21:41.864985Z','root','agreement.circulate','agreement','AGR-2024-001','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[{"as":"R","due":null,"duty":"report","party":"liede-sw","text":"Report monthly"}],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"draft","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[{"as":"R","due":null,"duty":"report","party":"liede-sw","text":"Report monthly"}],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"circulating","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','4bb3da1a45ad83c4911043d43cbec4f5a879cfece1a476820fbb11f791b2941b','dfec3075c28d9e24ae7a3fca6005d9173219fb75d7183e463ab4b98c32871c38');
INSERT INTO "event" VALUES(9,'2026-11-27T19:21:43.070293Z','root','agreement.sign','agreement','AGR-2024-001','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":null,"frozen_at":null,"goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[{"as":"R","due":null,"duty":"report","party":"liede-sw","text":"Report monthly"}],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[],"status":"circulating","terminated_on":null,"termination_reason":null,"terms_hash":null,"title":"Reports","title_zh":null,"unsigned":["liede-street","liede-sw"],"version":1,"versions":1}','{"communication":[],"dispute_resolution":[],"effective":"2024-01-01","expires":null,"fingerprint":"126543ab4c1c","frozen_at":"2026-11-27T19:21:43+00:00","goals":[],"key":"AGR-2024-001","kind":"activity","languages":["en"],"methods":[],"obligations":[{"as":"R","due":null,"duty":"report","party":"liede-sw","text":"Report monthly"}],"parties":[{"label":"Party A","name":"Liede Street","name_zh":null,"stakeholder":"liede-street"},{"label":"Party B","name":"Liede SW","name_zh":"猎德社工站","stakeholder":"liede-sw"}],"project":"liede-renjia","resources":[],"review_every":null,"rights":[],"signatures":[{"date":"2024-01-01","key_fingerprint":null,"method":"wet-ink","party":"liede-sw","scan_sha256":null,"signatory":"Chen","terms_hash":"126543ab4c1c761f838a508f2f8b68d9a706d1fd999f295fc190ba153728ab22","title":null}],"status":"circulating","terminated_on":null,"termination_reason":null,"terms_hash":"126543ab4c1c761f838a508f2f8b68d9a706d1fd999f295fc190ba153728ab22","title":"Reports","title_zh":null,"unsigned":["liede-street"],"version":1,"versions":1}','dfec3075c28d9e24ae7a3fca6005d9173219fb75d7183e463ab4b98c32871c38','4bd12546252222e73de18411a051d5f3b9f471abc1394bca0af06a3b87741e19');
CREATE TABLE party_key (
	id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	public_key VARCHAR NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id), 
	UNIQUE (fingerprint)
);
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
CREATE TABLE signature (
	id INTEGER NOT NULL, 
	version_id INTEGER NOT NULL, 
	stakeholder_id INTEGER NOT NULL, 
	signatory VARCHAR NOT NULL, 
	title VARCHAR, 
	signed_on DATE NOT NULL, 
	method VARCHAR(16) NOT NULL, 
	terms_hash VARCHAR(64) NOT NULL, 
	scan_sha256 VARCHAR(64), 
	scan_name VARCHAR, 
	key_fingerprint VARCHAR(64), 
	key_signature VARCHAR, 
	recorded_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (version_id, stakeholder_id), 
	FOREIGN KEY(version_id) REFERENCES agreement_version (id), 
	FOREIGN KEY(stakeholder_id) REFERENCES stakeholder (id)
);
INSERT INTO "signature" VALUES(1,1,1,'Chen',NULL,'2024-01-01','wet-ink','126543ab4c1c761f838a508f2f8b68d9a706d1fd999f295fc190ba153728ab22',NULL,NULL,NULL,NULL,'2026-11-27T19:21:43+00:00');
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
INSERT INTO "stakeholder" VALUES(2,'liede-street','Liede Street',NULL,'government',NULL,NULL,NULL,1);
CREATE INDEX ix_event_key ON event ("key");
CREATE INDEX ix_contact_stakeholder_id ON contact (stakeholder_id);
CREATE INDEX ix_representative_stakeholder_id ON representative (stakeholder_id);
CREATE INDEX ix_party_key_stakeholder_id ON party_key (stakeholder_id);
CREATE INDEX ix_role_project_id ON role (project_id);
CREATE INDEX ix_duty_project_id ON duty (project_id);
CREATE INDEX ix_agreement_project_id ON agreement (project_id);
CREATE INDEX ix_role_holder_stakeholder_id ON role_holder (stakeholder_id);
CREATE INDEX ix_role_holder_role_id ON role_holder (role_id);
CREATE INDEX ix_assignment_duty_id ON assignment (duty_id);
CREATE INDEX ix_assignment_stakeholder ON assignment (stakeholder_id);
CREATE INDEX ix_agreement_version_agreement_id ON agreement_version (agreement_id);
CREATE INDEX ix_agreement_party_version_id ON agreement_party (version_id);
CREATE INDEX ix_agreement_party_stakeholder_id ON agreement_party (stakeholder_id);
CREATE INDEX ix_agreement_term_version_id ON agreement_term (version_id);
CREATE INDEX ix_agreement_obligation_duty_id ON agreement_obligation (duty_id);
CREATE INDEX ix_agreement_obligation_version_id ON agreement_obligation (version_id);
CREATE INDEX ix_agreement_resource_version_id ON agreement_resource (version_id);
CREATE INDEX ix_signature_version_id ON signature (version_id);
COMMIT;
