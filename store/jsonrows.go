package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// jsonRows returns a subquery that reads rows out of one parameter
// holding a JSON array of arrays, with the named columns in order, and
// the parameter's value. A job's many rows (escalations, snapshots) are
// then written by one statement of one parameter, however many there
// are: no chunking to the drivers' parameter limits, one round trip.
//
// Each column is "name TYPE" with a Postgres type (TEXT, INTEGER,
// TIMESTAMPTZ); SQLite takes the JSON values as they are. A time.Time
// value goes as the text each database stores a time as.
func (db *DB) jsonRows(a *args, rows [][]any, columns ...string) (string, error) {
	if rows == nil {
		rows = [][]any{}
	}
	for _, row := range rows {
		for i, v := range row {
			if t, ok := v.(time.Time); ok {
				row[i] = db.timeText(t)
			}
		}
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("encode rows: %w", err)
	}
	param := a.add(string(b))
	cols := make([]string, len(columns))
	for i, c := range columns {
		name, typ, _ := strings.Cut(c, " ")
		idx := strconv.Itoa(i)
		if db.dialect == DialectPostgres {
			cols[i] = "CAST(x.value->>" + idx + " AS " + typ + ") AS " + name
		} else {
			cols[i] = "json_extract(x.value, '$[" + idx + "]') AS " + name
		}
	}
	from := "json_each(" + param + ") AS x"
	if db.dialect == DialectPostgres {
		from = "json_array_elements(CAST(" + param + " AS JSON)) AS x(value)"
	}
	return "(SELECT " + strings.Join(cols, ", ") + " FROM " + from + ")", nil
}

// sqliteTime is how the SQLite driver writes a time (_time_format=sqlite),
// and so how stored times compare and read back.
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

// timeText is a time as text that the database reads as that time.
func (db *DB) timeText(t time.Time) string {
	if db.dialect == DialectSQLite {
		return utc(t).Format(sqliteTime)
	}
	return utc(t).Format(time.RFC3339Nano)
}
