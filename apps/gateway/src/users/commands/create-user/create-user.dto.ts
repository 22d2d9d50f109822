import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsCpf } from '../../shared/cpf';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateUserDto {
  @ApiProperty({ example: 'Ana Souza', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    example: 'ana.souza@example.com',
    maxLength: 320,
    description: 'Unique among users, compared case-insensitively (checked by the processor)',
  })
  @Transform(trim)
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({
    example: '529.982.247-25',
    description:
      'CPF: 11 digits, plain or formatted as 123.456.789-09; check digits are verified and it is stored as 11 digits',
  })
  @IsCpf()
  document!: string;
}
