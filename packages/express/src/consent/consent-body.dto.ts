import { IsBoolean, IsString, Length, Matches } from 'class-validator';

/** The body of `PUT {basePath}/me/consents/:purpose`. */
export class ConsentBody {
  /** true grants, false withdraws. */
  @IsBoolean({ message: 'granted must be true or false' })
  granted!: boolean;

  /** The version of the privacy policy the person saw, e.g. '2026-05'. */
  @IsString({ message: 'policyVersion must be a string' })
  @Length(1, 64, { message: 'policyVersion must be 1 to 64 characters' })
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'policyVersion may use letters, digits and . _ : - only' })
  policyVersion!: string;
}
