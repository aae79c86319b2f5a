import { ChangePasswordForm } from '../../../../src/components/change-password-form';

export const metadata = { title: 'Account · Gansight' };

export default function AccountPage() {
  return (
    <>
      <h1>Your account</h1>
      <ChangePasswordForm />
    </>
  );
}
