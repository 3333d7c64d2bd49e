import { PersonalData, RequiresConsent } from '@privacy-kit/core';

export class Profile {
  @PersonalData({ category: 'user.contact.email' })
  email = '';

  @PersonalData({ category: 'user.name' })
  name = '';
}

export class ProfileRoutes {
  @PersonalData({ models: [Profile], purpose: 'essential.service', basis: 'contract' })
  profile() {
    return 'profile';
  }

  @RequiresConsent('personalize.content')
  recommendations() {
    return 'recs';
  }
}
