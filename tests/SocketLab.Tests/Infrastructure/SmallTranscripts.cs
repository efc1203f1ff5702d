namespace SocketLab.Tests.Infrastructure;

/// <summary>Hand-written transcripts for replay tests that need no recording session.</summary>
public static class SmallTranscripts
{
    /// <summary>
    /// A server's transcript of one connection: the client sent "one" and the server echoed it, then
    /// <paramref name="later"/> (more events of connection 1, one JSON object a line). Returns the path.
    /// </summary>
    public static string WriteEcho(string path, string later = "")
    {
        File.WriteAllText(path,
            """
            {"time":"2026-11-25T18:49:07.80+00:00","proto":"tcp","role":"server","conn":1,"event":"open","local":"127.0.0.1:5001","remote":"127.0.0.1:45556"}
            {"time":"2026-11-25T18:49:07.82+00:00","proto":"tcp","role":"server","conn":1,"event":"data","dir":"in","local":"127.0.0.1:5001","remote":"127.0.0.1:45556","bytes":3,"data":"b25l"}
            {"time":"2026-11-25T18:49:07.82+00:00","proto":"tcp","role":"server","conn":1,"event":"data","dir":"out","echo":true,"local":"127.0.0.1:5001","remote":"127.0.0.1:45556","bytes":3,"data":"b25l"}

            """ + later);
        return path;
    }
}
