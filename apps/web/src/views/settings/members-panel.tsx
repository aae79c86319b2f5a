'use client';

import { useState, type FormEvent } from 'react';
import { ChangeMemberRoleDocument, InviteMemberWithPasswordDocument, MembersDocument, RemoveMemberDocument, type Role } from '@gansight/client';
import { ConfirmButton } from '../../components/confirm-button';
import { ErrorState, Loading } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

const ROLES: Role[] = ['VIEWER', 'MANAGER', 'ENGINEER', 'ADMIN'];

export function MembersPanel() {
  const { timeZone, email: me } = useFactory();
  const members = useApiQuery(MembersDocument, { first: 100 });
  const change = useApiMutation(ChangeMemberRoleDocument, [MembersDocument]);
  const remove = useApiMutation(RemoveMemberDocument, [MembersDocument]);
  const invite = useApiMutation(InviteMemberWithPasswordDocument);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('VIEWER');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate({ email: email.trim(), role });
  };
  const error = change.error ?? remove.error;
  return (
    <section className="card" aria-label="Members">
      <h2>Members</h2>
      {members.isPending ? (
        <Loading />
      ) : members.isError ? (
        <ErrorState error={members.error} />
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.data.members.edges.map(({ node: m }) => (
              <tr key={m.id}>
                <td>{m.email}</td>
                <td>
                  <select aria-label={`Role of ${m.email}`} value={m.role} disabled={m.email === me} onChange={(e) => change.mutate({ userId: m.userId, role: e.target.value as Role })}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{formatInstant(m.joinedAt, timeZone)}</td>
                <td>
                  {m.email !== me && (
                    <ConfirmButton label="Remove" className="danger" title={`Remove ${m.email}?`} confirmLabel="Remove" onConfirm={() => remove.mutate({ userId: m.userId })}>
                      They lose access to this factory at once; their account and other factories stay.
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p className="form-error">{error.message}</p>}
      <form className="row" onSubmit={submit} aria-label="Invite">
        <input type="email" required placeholder="name@factory.example" value={email} onChange={(e) => setEmail(e.target.value)} aria-label="Email to invite" />
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="Role to invite as">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
        <button type="submit" disabled={invite.isPending}>
          Invite
        </button>
      </form>
      {invite.error && <p className="form-error">{invite.error.message}</p>}
      {invite.data && (
        <div className="secret" role="status">
          <p>
            Invitation for {invite.data.inviteMember.invitation.email} as {invite.data.inviteMember.invitation.role}, valid until{' '}
            {formatInstant(invite.data.inviteMember.invitation.expiresAt, timeZone)}. Hand this code over privately; it is shown once. A new person signs in with their email and
            this code as the password.
          </p>
          <code data-testid="invitation-code">{invite.data.inviteMember.temporaryPassword}</code>
        </div>
      )}
    </section>
  );
}
