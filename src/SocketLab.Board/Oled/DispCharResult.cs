namespace SocketLab.Board.Oled;

/// <summary>DispChar's return value, <c>(total_width, (next_x, y))</c> on the board.</summary>
public readonly record struct DispCharResult(int Width, int NextX, int Y)
{
    public void Deconstruct(out int width, out (int X, int Y) next)
    {
        width = Width;
        next = (NextX, Y);
    }

    public override string ToString() => $"({Width}, ({NextX}, {Y}))";
}
