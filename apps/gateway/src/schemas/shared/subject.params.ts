import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { SCHEMA_SUBJECT_PATTERN } from '@event-hub/contracts';

const SUBJECT_EXAMPLE = 'orders-value';

/**
 * The `:subject` of a read route. Deliberately not pattern-checked here: a malformed name is
 * answered 404 like any subject the caller does not have.
 */
export class SubjectParams {
  @ApiProperty({ example: SUBJECT_EXAMPLE })
  @IsString()
  subject!: string;
}

/** The `:subject` of a write route: a name that can never be a subject is a 400 naming the rule. */
export class WritableSubjectParams {
  @ApiProperty({ example: SUBJECT_EXAMPLE, pattern: SCHEMA_SUBJECT_PATTERN.source })
  @IsString()
  @Matches(SCHEMA_SUBJECT_PATTERN, {
    message:
      'subject must start with a letter or digit, then letters, digits, ".", "_" or "-", at most 200 characters',
  })
  subject!: string;
}

export class SubjectVersionParams extends SubjectParams {
  @ApiProperty({ example: '2', description: 'A version number, or `latest`' })
  @IsString()
  version!: string;
}
