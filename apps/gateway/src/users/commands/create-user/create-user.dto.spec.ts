import { fieldErrors, fields, validated } from '../../../../test/support/request-validation';
import { CreateUserDto } from './create-user.dto';

describe('create user request', () => {
  it('accepts a valid user and trims its name and email', async () => {
    const dto = await validated(CreateUserDto, {
      name: '  Ana Souza ',
      email: ' ana@example.com ',
      document: '529.982.247-25',
    });
    expect(dto).toEqual({
      name: 'Ana Souza',
      email: 'ana@example.com',
      document: '529.982.247-25',
    });
  });

  it('names every bad field of a user, including unknown ones', async () => {
    const errors = await fieldErrors(CreateUserDto, {
      name: '',
      email: 'nope',
      document: '123.456.789-00',
      admin: true,
    });
    expect(fields(errors)).toEqual(['body.admin', 'body.document', 'body.email', 'body.name']);
    expect(errors).toContainEqual({ field: 'body.admin', message: 'is not allowed' });
    expect(errors).toContainEqual({
      field: 'body.document',
      message:
        'document must be a valid CPF: 11 digits, plain or as 123.456.789-09, with valid check digits',
    });
  });

  it('names missing fields', async () => {
    expect(fields(await fieldErrors(CreateUserDto, {}))).toEqual([
      'body.document',
      'body.email',
      'body.name',
    ]);
  });
});
