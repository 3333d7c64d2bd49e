import { IsEmail, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';

/** A customer's profile, as returned by the API; every personal field is stored sealed (`encrypt: true`), the id in the clear. */
export class UserProfile {
  @IsString()
  id!: string;

  @PersonalData({ category: 'user.name', encrypt: true })
  @IsString()
  @Length(1, 120)
  name!: string;

  @PersonalData({ category: 'user.contact.email', encrypt: true })
  @IsEmail()
  email!: string;

  @PersonalData({ category: 'user.contact.address.street', encrypt: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  street?: string;

  @PersonalData({ category: 'user.contact.address.city', encrypt: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  city?: string;

  @PersonalData({ category: 'user.contact.address.postal_code', encrypt: true })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  postalCode?: string;

  @PersonalData({ category: 'user.demographic.date_of_birth', retention: '2y', encrypt: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  dateOfBirth?: string;
}
