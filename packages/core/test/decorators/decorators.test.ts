import {
  PersonalData,
  RequiresConsent,
  definePersonalData,
  defineProcessing,
  defineRequiresConsent,
  getAnnotatedClasses,
  getPersonalFields,
  getProcessing,
  getProcessingMethods,
} from '@privacy-kit/core';
import { isPersonalDataInstance } from '../../src/metadata/readers';

class Customer {
  @PersonalData({ category: 'user.contact.email' })
  email!: string;

  @PersonalData({ category: ['user.name.first', 'user.name.last'], retention: '2y' })
  fullName!: string;

  plan!: string;
}

class Patient extends Customer {
  @PersonalData({ category: 'user.health_and_medical' })
  diagnosis!: string;
}

class ProfileController {
  @PersonalData({ models: [Customer], purpose: 'essential.service', basis: 'contract' })
  profile(): void {}

  @PersonalData({ categories: ['user.behavior.purchase_history'], purpose: 'personalize.content' })
  @RequiresConsent('personalize.content')
  recommendations(): void {}

  health(): void {}
}

describe('@PersonalData on properties', () => {
  it('records each field with its categories and retention', () => {
    expect(getPersonalFields(Customer)).toEqual([
      { property: 'email', categories: ['user.contact.email'], special: false },
      { property: 'fullName', categories: ['user.name.first', 'user.name.last'], special: false, retention: { text: '2y', amount: 2, unit: 'year' } },
    ]);
  });

  it('gives a subclass its parent fields without changing the parent', () => {
    expect(getPersonalFields(Patient).map((f) => f.property)).toEqual(['email', 'fullName', 'diagnosis']);
    expect(getPersonalFields(Customer).map((f) => f.property)).toEqual(['email', 'fullName']);
  });

  it('flags a field of a special category', () => {
    expect(getPersonalFields(Patient).find((f) => f.property === 'diagnosis')?.special).toBe(true);
  });

  it('knows the annotated classes and recognises their instances', () => {
    expect(getAnnotatedClasses()).toEqual(expect.arrayContaining([Customer, Patient]));
    expect(isPersonalDataInstance(new Customer())).toBe(true);
    expect(isPersonalDataInstance({ email: 'x' })).toBe(false);
  });

  it('refuses an unknown category at decoration time, naming decorator, class and member', () => {
    expect(() => {
      class Broken {
        @PersonalData({ category: 'user.contact.emial' })
        email!: string;
      }
      return Broken;
    }).toThrow(/@PersonalData on Broken\.email: unknown data category 'user\.contact\.emial'\. Did you mean 'user\.contact\.email'\?/);
  });

  it('refuses method options on a property and says where they belong', () => {
    expect(() => {
      class Broken {
        @PersonalData({ categories: ['user.name'], purpose: 'essential.service', basis: 'contract' } as never)
        name!: string;
      }
      return Broken;
    }).toThrow(/unknown option 'categories'.*method's processing declaration/s);
  });

  it('refuses a misspelt field option and suggests the one it meant', () => {
    expect(() => definePersonalData(class X {}, 'a', { categroy: 'user.name' } as never)).toThrow(
      /definePersonalData on X\.a: unknown option 'categroy'\. Did you mean 'category'\? Known options: category, retention, special, description, encrypt\./,
    );
  });

  it('refuses a misspelt processing option and suggests the one it meant', () => {
    expect(() => defineProcessing(class Y { m(): void {} }, 'm', { categories: ['user.name'], purpose: 'essential.service', bassis: 'contract' } as never)).toThrow(
      /unknown option 'bassis'\. Did you mean 'basis'\?/,
    );
  });

  it('refuses a bad retention period with the accepted forms', () => {
    expect(() => definePersonalData(class X {}, 'a', { category: 'user.name', retention: 'forever' })).toThrow(/'12h', '30d'/);
  });
});

describe('@PersonalData and @RequiresConsent on methods', () => {
  it('resolves a method declaration with the categories of the models it names', () => {
    expect(getProcessing(ProfileController.prototype.profile)).toEqual(
      expect.objectContaining({
        categories: ['user.contact.email', 'user.name.first', 'user.name.last'],
        purposes: ['essential.service'],
        basis: 'contract',
        subject: 'self',
        consentPurposes: [],
        models: [Customer],
      }),
    );
  });

  it('makes consent the basis when consent is required', () => {
    expect(getProcessing(ProfileController.prototype.recommendations)).toEqual(
      expect.objectContaining({ basis: 'consent', consentPurposes: ['personalize.content'], purposes: ['personalize.content'] }),
    );
  });

  it('lists only the annotated methods of a class', () => {
    expect(getProcessingMethods(ProfileController).map((m) => m.method)).toEqual(['profile', 'recommendations']);
  });

  it('refuses @RequiresConsent on a property', () => {
    expect(() => {
      class Broken {
        @RequiresConsent('personalize.content')
        x!: string;
      }
      return Broken;
    }).toThrow(/@RequiresConsent on 'x': it belongs on a method/);
  });

  it('refuses an unknown purpose in @RequiresConsent', () => {
    expect(() => {
      class Broken {
        @RequiresConsent('personalize.contnet')
        m(): void {}
      }
      return Broken;
    }).toThrow(/@RequiresConsent on Broken\.m: unknown purpose 'personalize\.contnet'\. Did you mean 'personalize\.content'\?/);
  });

  it('reports a method declaration without a lawful basis when it is read', () => {
    class NoBasis {
      @PersonalData({ categories: ['user.name'], purpose: 'essential.service' })
      m(): void {}
    }
    expect(() => getProcessing(NoBasis.prototype.m)).toThrow(/no lawful basis/);
  });
});

describe('function twins', () => {
  it('definePersonalData annotates a plain class like the decorator', () => {
    class Plain {
      email = '';
    }
    definePersonalData(Plain, 'email', { category: 'user.contact.email' });
    expect(getPersonalFields(Plain)).toEqual([{ property: 'email', categories: ['user.contact.email'], special: false }]);
  });

  it('defineProcessing and defineRequiresConsent annotate methods like the decorators', () => {
    class Plain {
      recs(): void {}
    }
    defineProcessing(Plain, 'recs', { categories: ['user.behavior.browsing_history'], purpose: 'personalize.content' });
    defineRequiresConsent(Plain, 'recs', 'personalize.content');
    expect(getProcessing(Plain.prototype.recs)).toEqual(expect.objectContaining({ basis: 'consent', consentPurposes: ['personalize.content'] }));
  });

  it('defineProcessing refuses a method the class does not have', () => {
    expect(() => defineProcessing(class Empty {}, 'nope', { purpose: 'essential.service', basis: 'contract' })).toThrow(/no such method/);
  });
});
