import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ElasticsearchLink } from '../../../elasticsearch/elasticsearch-link';
import { PersonalDataHasher } from '../../../privacy/personal-data-hasher';
import { searchLogsRequest } from '../../log-queries';
import type { LogPageView } from '../../log-record.view';
import { LogSearch } from '../../log-search';
import { SearchLogsQuery } from './search-logs.query';

@QueryHandler(SearchLogsQuery)
export class SearchLogsHandler implements IQueryHandler<SearchLogsQuery, LogPageView> {
  constructor(
    private readonly search: LogSearch,
    private readonly link: ElasticsearchLink,
    private readonly hasher: PersonalDataHasher,
  ) {}

  async execute({ filters, page, pageSize, visibility }: SearchLogsQuery): Promise<LogPageView> {
    const { total, items } = await this.search.search(
      searchLogsRequest(this.link.indices.pattern, filters, page, pageSize, visibility, (value) =>
        this.hasher.searchHashes(value),
      ),
    );
    return { page, pageSize, total, items };
  }
}
