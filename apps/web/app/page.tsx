import { ChooseFactory } from '../src/components/choose-factory';

/** `/`: the signed-in user's factories (straight into the only one), or the way to sign in. */
export default function HomePage() {
  return <ChooseFactory />;
}
