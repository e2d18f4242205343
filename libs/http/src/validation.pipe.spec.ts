import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import { AppError } from './app-error';
import { RequestValidationPipe } from './validation.pipe';

class Address {
  @IsString()
  city: string;
}

class CreateRoom {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  @Min(2)
  capacity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => Address)
  address?: Address;
}

class Search {
  @Type(() => Number)
  @IsInt()
  page: number;
}

async function failure(
  value: unknown,
  type: 'body' | 'query' = 'body',
  metatype: new () => object = CreateRoom,
): Promise<AppError> {
  try {
    await new RequestValidationPipe().transform(value, { type, metatype });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected validation to fail');
}

describe('RequestValidationPipe', () => {
  it('returns a DTO instance for a valid payload', async () => {
    const result = await new RequestValidationPipe().transform(
      { name: 'standup', capacity: 4 },
      { type: 'body', metatype: CreateRoom },
    );
    expect(result).toBeInstanceOf(CreateRoom);
    expect(result).toEqual({ name: 'standup', capacity: 4 });
  });

  it('fails with 400 invalid_request naming the first field', async () => {
    const error = await failure({ name: 42 });
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('body.name must be a string');
    expect(error.details).toEqual([{ field: 'name', problems: ['name must be a string'] }]);
  });

  it('lists every problem of every field', async () => {
    const error = await failure({ capacity: 1.5 });
    expect(error.details).toEqual([
      { field: 'name', problems: ['name must be a string'] },
      {
        field: 'capacity',
        problems: ['capacity must not be less than 2', 'capacity must be an integer number'],
      },
    ]);
  });

  it('uses dotted paths for nested objects', async () => {
    const error = await failure({ name: 'x', address: { city: 7 } });
    expect(error.details).toEqual([{ field: 'address.city', problems: ['city must be a string'] }]);
    expect(error.message).toBe('body.address.city must be a string');
  });

  it('rejects properties the DTO does not declare', async () => {
    const error = await failure({ name: 'x', admin: true });
    expect(error.details).toEqual([{ field: 'admin', problems: ['property admin should not exist'] }]);
    expect(error.message).toBe('body.admin: property admin should not exist');
  });

  it('names the query when the query is invalid, after converting types', async () => {
    await expect(
      new RequestValidationPipe().transform({ page: '3' }, { type: 'query', metatype: Search }),
    ).resolves.toEqual({ page: 3 });
    const error = await failure({ page: 'abc' }, 'query', Search);
    expect(error.message).toBe('query.page must be an integer number');
  });

  it('leaves values without a DTO untouched', async () => {
    await expect(
      new RequestValidationPipe().transform('abc', { type: 'param', metatype: String }),
    ).resolves.toBe('abc');
  });
});
