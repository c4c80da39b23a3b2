/** S3 returns at most 1,000 entries (versions + delete markers) per ListObjectVersions page. */
export const LIST_PAGE_SIZE = 1000;
