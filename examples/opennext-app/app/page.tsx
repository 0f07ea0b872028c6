export default function Home() {
  return <main>POST /api/demo: the app calls EventuallService over its service binding.</main>;
}
