/** A timestamptz column as the ISO 8601 UTC text every contract carries ("…T…Z", milliseconds). */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
