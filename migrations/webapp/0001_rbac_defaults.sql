-- The standard permissions and platform-wide roles (account_id NULL).
-- Roles inherit transitively: organizer > moderator > speaker > attendee.
-- Fixed ids so the Worker and tests can refer to them; INSERT OR IGNORE keeps a re-run harmless.

INSERT OR IGNORE INTO permissions (id, name, description, created_at) VALUES
  ('permeventview00000000000', 'event.view', 'See the event, its rooms and tickets', 1767225600),
  ('permeventmanage000000000', 'event.manage', 'Change the event, its rooms and tickets', 1767225600),
  ('permroomjoin000000000000', 'room.join', 'Enter the event''s rooms', 1767225600),
  ('permstagepresent00000000', 'stage.present', 'Go on the live stage', 1767225600),
  ('permparticipantsview0000', 'participants.view', 'See who takes part', 1767225600),
  ('perminvitationcreate0000', 'invitation.create', 'Invite people by email', 1767225600),
  ('permgrantmanage000000000', 'grant.manage', 'Grant and revoke access', 1767225600),
  ('permrecordingmanage00000', 'recording.manage', 'Start and stop recordings', 1767225600),
  ('permordermanage000000000', 'order.manage', 'See and refund orders', 1767225600);

INSERT OR IGNORE INTO roles (id, account_id, name, description, created_at) VALUES
  ('roleattendee000000000000', NULL, 'attendee', 'Platform role: attendee', 1767225600),
  ('rolespeaker0000000000000', NULL, 'speaker', 'Platform role: speaker', 1767225600),
  ('rolemoderator00000000000', NULL, 'moderator', 'Platform role: moderator', 1767225600),
  ('roleorganizer00000000000', NULL, 'organizer', 'Platform role: organizer', 1767225600);

INSERT OR IGNORE INTO role_to_permissions (id, role_id, permission_id, created_at) VALUES
  ('rpattendeventview0000000', 'roleattendee000000000000', 'permeventview00000000000', 1767225600),
  ('rpattendroomjoin00000000', 'roleattendee000000000000', 'permroomjoin000000000000', 1767225600),
  ('rpspeakestagepresent0000', 'rolespeaker0000000000000', 'permstagepresent00000000', 1767225600),
  ('rpmoderaparticipants0000', 'rolemoderator00000000000', 'permparticipantsview0000', 1767225600),
  ('rpmoderainvitationcr0000', 'rolemoderator00000000000', 'perminvitationcreate0000', 1767225600),
  ('rporganieventmanage00000', 'roleorganizer00000000000', 'permeventmanage000000000', 1767225600),
  ('rporganigrantmanage00000', 'roleorganizer00000000000', 'permgrantmanage000000000', 1767225600),
  ('rporganirecordingman0000', 'roleorganizer00000000000', 'permrecordingmanage00000', 1767225600),
  ('rporganiordermanage00000', 'roleorganizer00000000000', 'permordermanage000000000', 1767225600);

INSERT OR IGNORE INTO roles_inheritances (id, role_id, parent_role_id, created_at) VALUES
  ('inheritspeaker0000000000', 'rolespeaker0000000000000', 'roleattendee000000000000', 1767225600),
  ('inheritmoderator00000000', 'rolemoderator00000000000', 'rolespeaker0000000000000', 1767225600),
  ('inheritorganizer00000000', 'roleorganizer00000000000', 'rolemoderator00000000000', 1767225600);
