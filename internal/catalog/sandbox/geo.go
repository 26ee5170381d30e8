package sandbox

import "math"

const earthRadiusKM = 6371.0088

// distanceKM is the great-circle (haversine) distance between two points.
func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// offsetPoint moves a point distKM towards bearing (degrees from north),
// on a locally flat earth (fine for the few km used here).
func offsetPoint(lat, lon, distKM, bearing float64) (float64, float64) {
	const rad = math.Pi / 180
	dLat := distKM * math.Cos(bearing*rad) / 111.32
	cos := math.Max(0.01, math.Cos(lat*rad))
	dLon := distKM * math.Sin(bearing*rad) / (111.32 * cos)
	lat2 := clamp(lat+dLat, -90, 90)
	lon2 := lon + dLon
	for lon2 > 180 {
		lon2 -= 360
	}
	for lon2 < -180 {
		lon2 += 360
	}
	return round5(lat2), round5(lon2)
}

// round5 rounds to 5 decimals (about 1 m), like the world data.
func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// point is a position on the unit sphere, for fast distances.
type point struct{ x, y, z float64 }

func pointOf(lat, lon float64) point {
	const rad = math.Pi / 180
	cl := math.Cos(lat * rad)
	return point{cl * math.Cos(lon*rad), cl * math.Sin(lon*rad), math.Sin(lat * rad)}
}

// chord2 is the squared straight-line distance between points of the unit
// sphere: monotonic in the great-circle distance, so fine for comparisons.
func chord2(p, q point) float64 {
	dx, dy, dz := p.x-q.x, p.y-q.y, p.z-q.z
	return dx*dx + dy*dy + dz*dz
}

// chordKM turns a squared chord into a great-circle distance.
func chordKM(c2 float64) float64 {
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(c2)/2))
}

// chord2Of is the squared chord of a great-circle distance.
func chord2Of(km float64) float64 {
	c := 2 * math.Sin(math.Min(math.Pi/2, km/(2*earthRadiusKM)))
	return c * c
}

// grid is a 2°×2° bucket index of points for radius queries.
type grid struct {
	cells [][]int // gridRows × gridCols, row-major from the south pole
	pts   []point
}

const (
	gridDeg  = 2
	gridRows = 180 / gridDeg
	gridCols = 360 / gridDeg
)

func newGrid(n int, at func(i int) (lat, lon float64)) *grid {
	g := &grid{cells: make([][]int, gridRows*gridCols), pts: make([]point, n)}
	for i := 0; i < n; i++ {
		la, lo := at(i)
		g.pts[i] = pointOf(la, lo)
		r, c := cellOf(la, lo)
		g.cells[r*gridCols+c] = append(g.cells[r*gridCols+c], i)
	}
	return g
}

// cellOf is the row and column of a point (the poles join the edge rows).
func cellOf(lat, lon float64) (int, int) {
	r := min(gridRows-1, max(0, int(math.Floor((lat+90)/gridDeg))))
	c := ((int(math.Floor((lon+180)/gridDeg)) % gridCols) + gridCols) % gridCols
	return r, c
}

// within calls fn once for every point within radiusKM of (lat, lon);
// the order is not meaningful (callers sort when it matters).
func (g *grid) within(lat, lon, radiusKM float64, fn func(i int, d float64)) {
	dRow := int(math.Ceil(radiusKM/(111.0*gridDeg))) + 1
	row, col := cellOf(lat, lon)
	colFrom, colTo := 0, gridCols-1 // near the poles or for huge radii: every longitude
	if cos := math.Cos(lat * math.Pi / 180); cos > 0.05 {
		if dCol := int(math.Ceil(radiusKM/(111.0*gridDeg*cos))) + 1; 2*dCol+1 < gridCols {
			colFrom, colTo = col-dCol, col+dCol
		}
	}
	here, limit := pointOf(lat, lon), chord2Of(radiusKM)
	for r := max(0, row-dRow); r <= min(gridRows-1, row+dRow); r++ {
		for c := colFrom; c <= colTo; c++ {
			for _, i := range g.cells[r*gridCols+(c%gridCols+gridCols)%gridCols] {
				if c2 := chord2(here, g.pts[i]); c2 <= limit {
					fn(i, chordKM(c2))
				}
			}
		}
	}
}
