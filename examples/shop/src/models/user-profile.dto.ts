import { IsEmail, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { PersonalData } from '@privacy-kit/core';

/** A customer's profile, as stored and returned by the API. */
export class UserProfile {
  @IsString()
  id!: string;

  @PersonalData({ category: 'user.name' })
  @IsString()
  @Length(1, 120)
  name!: string;

  @PersonalData({ category: 'user.contact.email' })
  @IsEmail()
  email!: string;

  @PersonalData({ category: 'user.contact.address.street' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  street?: string;

  @PersonalData({ category: 'user.contact.address.city' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  city?: string;

  @PersonalData({ category: 'user.contact.address.postal_code' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  postalCode?: string;

  @PersonalData({ category: 'user.demographic.date_of_birth', retention: '2y' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dateOfBirth?: string;
}
