import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Far beyond any real collection, and small enough that page × count stays an exact integer. */
export const MAX_PAGE = 1_000_000;

/** `?page=&count=` as the Coviu API pages its collections (pages count from 0). */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_PAGE, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  count?: number;
}

export interface HalPage<T> {
  content: T[];
  _links: { self: { href: string }; next?: { href: string }; previous?: { href: string } };
}

/** A HAL collection page with next/previous links only where such a page exists. */
export function halPage<T>(path: string, query: PageQueryDto, items: T[], total: number): HalPage<T> {
  const page = query.page ?? 0;
  const count = query.count ?? 50;
  const href = (p: number) => `${path}?page=${p}&count=${count}`;
  return {
    content: items,
    _links: {
      self: { href: href(page) },
      ...((page + 1) * count < total ? { next: { href: href(page + 1) } } : {}),
      ...(page > 0 ? { previous: { href: href(page - 1) } } : {}),
    },
  };
}
